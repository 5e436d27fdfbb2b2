package io.switchboard.store;

import io.switchboard.feed.FeedWriter;
import io.switchboard.migrations.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The service role's connection pool and the one way to run tenant work on it: every unit of work
 * is a transaction that first sets {@code app.tenant_id} (transaction-local), so row-level security
 * scopes every statement in it to that tenant, and the setting cannot outlive it.
 *
 * <p>Usage: {@code db.inTenant(tenantId, conn -> conn.preparedQuery(SQL).execute(args))}.
 */
public final class Database {
  static final String SET_TENANT = "select set_config('app.tenant_id', $1, true)";

  private final Pool pool;
  private volatile Consumer<UUID> afterFeedCommit = tenant -> {};

  private Database(Pool pool) {
    this.pool = pool;
  }

  public static Database create(Vertx vertx, DatabaseUrl url, int poolSize) {
    return new Database(
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(10_000))
            .with(netOptions())
            .connectingTo(connectOptions(url))
            .using(vertx)
            .build());
  }

  public static PgConnectOptions connectOptions(DatabaseUrl url) {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setDatabase(url.database())
            .setUser(url.user())
            .setPassword(url.password())
            .setCachePreparedStatements(true)
            .setPreparedStatementCacheMaxSize(512)
            .setReconnectAttempts(0);
    String sslMode = url.params().get("sslmode");
    if (sslMode != null) {
      options.setSslMode(SslMode.of(sslMode));
      if (!"disable".equals(sslMode) && !"allow".equals(sslMode) && !"prefer".equals(sslMode)) {
        // verify-ca / verify-full trust the JVM's default trust store (RDS CAs are in it when
        // the operator adds them); "require" encrypts without verifying, as libpq does.
        options.setSslOptions(
            new io.vertx.core.net.ClientSSLOptions().setTrustAll("require".equals(sslMode)));
      }
    }
    options.addProperty("application_name", "switchboard");
    return options;
  }

  /** Connect fast or fail fast: a database outage must turn into 503s, not hung requests. */
  public static io.vertx.core.net.NetClientOptions netOptions() {
    return new io.vertx.core.net.NetClientOptions().setConnectTimeout(5_000).setTcpKeepAlive(true);
  }

  public Pool pool() {
    return pool;
  }

  /**
   * Runs {@code work} in one transaction scoped to {@code tenantId} by row-level security.
   *
   * <p>{@code BEGIN} and the tenant setting are pipelined with the work's first statements on one
   * connection rather than awaited one by one (RLS-COST.md: round trips, not PostgreSQL work, are
   * what the naive transaction costs). If either fails, PostgreSQL refuses every later statement of
   * the transaction, so no statement runs outside the tenant's scope. The work's outcome is awaited
   * before {@code COMMIT} or {@code ROLLBACK}; a work that still sends statements after its own
   * future failed sends them after the {@code ROLLBACK}, without a tenant, where row-level security
   * shows them nothing and refuses their writes.
   */
  public <T> Future<T> inTenant(UUID tenantId, Function<SqlConnection, Future<T>> work) {
    return pool.getConnection()
        .compose(
            conn -> {
              Future<RowSet<Row>> begin = conn.query("BEGIN").execute();
              Future<RowSet<Row>> scope =
                  conn.preparedQuery(SET_TENANT).execute(Tuple.of(tenantId.toString()));
              Future<T> result;
              try {
                result = work.apply(conn);
              } catch (RuntimeException e) {
                result = Future.failedFuture(e);
              }
              Future<T> outcome = result;
              return Future.join(begin, scope, outcome)
                  .transform(
                      all -> {
                        UUID appended = FeedWriter.takeAppended(conn);
                        if (all.succeeded()) {
                          return conn.query("COMMIT")
                              .execute()
                              .map(
                                  committed -> {
                                    if (appended != null) {
                                      afterFeedCommit.accept(appended);
                                    }
                                    return outcome.result();
                                  });
                        }
                        Throwable cause =
                            begin.failed()
                                ? begin.cause()
                                : scope.failed() ? scope.cause() : outcome.cause();
                        return conn.query("ROLLBACK")
                            .execute()
                            .<T>transform(ignored -> Future.failedFuture(cause));
                      })
                  .onComplete(ignored -> conn.close());
            });
  }

  /** Told the tenant of every committed transaction that appended feed events (the sequencer). */
  public void afterFeedCommit(Consumer<UUID> listener) {
    this.afterFeedCommit = listener;
  }

  /**
   * Calls one of the self-scoping {@code sb_*} functions (V12_1): it sets the tenant
   * transaction-locally itself and runs under row-level security, so a hot read is one round trip.
   * Only for those functions; everything else goes through {@link #inTenant}.
   */
  public Future<RowSet<Row>> scopedCall(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args);
  }

  public Future<Void> close() {
    return pool.close();
  }
}
