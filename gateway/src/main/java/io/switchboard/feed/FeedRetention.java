package io.switchboard.feed;

import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prunes each tenant's feed of events older than the retention period (V11_3), in batches of one
 * transaction each, always as a prefix of the feed so what is kept stays gap-free. An event a
 * webhook endpoint has not had yet is never pruned, nor anything from the first dead letter or
 * pending redelivery on. The pull API answers a cursor below the pruned prefix with 410 and the
 * oldest cursor still served ({@link #prunedSeq}).
 *
 * <p>Usage: {@code FeedRetention.start(vertx, db, Duration.ofDays(30), Duration.ofMinutes(10),
 * 1000)}; tests call {@link #prune} or {@link #runOnce}.
 */
public final class FeedRetention {
  private static final Logger LOG = LoggerFactory.getLogger(FeedRetention.class);
  private static final int TENANTS_PER_PASS = 500;

  private static final String DUE = "select tenant_id from sb_tenants_with_expired_events($1, $2)";
  private static final String PRUNED = "select pruned_seq from feed_retention where tenant_id = $1";
  // the highest seq webhooks allow to go: delivered to every endpoint, before any dead letter or
  // pending redelivery
  private static final String CAP =
      "select least("
          + " coalesce((select min(delivered_seq) from webhook_endpoints where tenant_id = $1),"
          + "   9223372036854775807),"
          + " coalesce((select min(seq) - 1 from webhook_deliveries where tenant_id = $1"
          + "   and status in ('dead_letter', 'redeliver')), 9223372036854775807)) as cap";
  private static final String NEXT =
      "select seq, created_at from provisioning_events"
          + " where tenant_id = $1 and seq > $2 and seq <= $3 order by seq limit $4";
  private static final String DELETE =
      "delete from provisioning_events where tenant_id = $1 and seq > $2 and seq <= $3";
  private static final String MARK =
      "insert into feed_retention (tenant_id, pruned_seq) values ($1, $2)"
          + " on conflict (tenant_id) do update"
          + " set pruned_seq = greatest(feed_retention.pruned_seq, excluded.pruned_seq),"
          + " pruned_at = now()";

  private final Vertx vertx;
  private final Database db;
  private final Duration retention;
  private final Duration tick;
  private final int batch;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile long timer = -1;

  private FeedRetention(Vertx vertx, Database db, Duration retention, Duration tick, int batch) {
    this.vertx = vertx;
    this.db = db;
    this.retention = retention;
    this.tick = tick;
    this.batch = batch;
  }

  /** Prunes every {@code tick}: events older than {@code retention}, {@code batch} at a time. */
  public static FeedRetention start(
      Vertx vertx, Database db, Duration retention, Duration tick, int batch) {
    FeedRetention r = create(vertx, db, retention, tick, batch);
    r.schedule();
    return r;
  }

  /** Without the periodic pass (tests). */
  public static FeedRetention create(
      Vertx vertx, Database db, Duration retention, Duration tick, int batch) {
    return new FeedRetention(vertx, db, retention, tick, batch);
  }

  private void schedule() {
    if (running.get()) {
      timer = vertx.setTimer(tick.toMillis(), id -> runOnce().onComplete(r -> schedule()));
    }
  }

  /** One pass over the tenants with expired events; how many events went. */
  public Future<Long> runOnce() {
    Instant before = Instant.now().minus(retention);
    return db.pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(DUE)
                    .execute(Tuple.of(odt(before), TENANTS_PER_PASS))
                    .map(
                        rows -> {
                          List<UUID> ids = new ArrayList<>();
                          rows.forEach(row -> ids.add(row.getUUID("tenant_id")));
                          return ids;
                        }))
        .compose(
            tenants -> {
              Future<Long> chain = Future.succeededFuture(0L);
              for (UUID tenant : tenants) {
                chain = chain.compose(n -> prune(tenant, before).map(m -> n + m));
              }
              return chain;
            })
        .onFailure(e -> LOG.warn("feed retention pass failed: {}", e.toString()));
  }

  /** Prunes {@code tenant}'s events created before {@code before}; how many went. */
  public Future<Long> prune(UUID tenant, Instant before) {
    return pruneBatch(tenant, before)
        .compose(
            n -> n < batch ? Future.succeededFuture(n) : prune(tenant, before).map(m -> n + m));
  }

  private Future<Long> pruneBatch(UUID tenant, Instant before) {
    return db.inTenant(
        tenant,
        conn -> {
          Future<Long> pruned = prunedSeq(conn, tenant);
          Future<Long> cap =
              conn.preparedQuery(CAP)
                  .execute(Tuple.of(tenant))
                  .map(rows -> rows.iterator().next().getLong("cap"));
          return Future.all(pruned, cap)
              .compose(
                  v ->
                      conn.preparedQuery(NEXT)
                          .execute(Tuple.of(tenant, pruned.result(), cap.result(), batch)))
              .compose(
                  rows -> {
                    long from = pruned.result();
                    long upTo = from;
                    long count = 0;
                    for (Row row : rows) {
                      if (!row.getOffsetDateTime("created_at").toInstant().isBefore(before)) {
                        break;
                      }
                      upTo = row.getLong("seq");
                      count++;
                    }
                    if (count == 0) {
                      return Future.succeededFuture(0L);
                    }
                    // fewer than a batch: the expired prefix ends here, prune() stops
                    long last = upTo;
                    return conn.preparedQuery(DELETE)
                        .execute(Tuple.of(tenant, from, last))
                        .compose(d -> conn.preparedQuery(MARK).execute(Tuple.of(tenant, last)))
                        .map(count);
                  });
        });
  }

  /** The highest seq pruned from {@code tenant}'s feed; 0 when nothing was. */
  public static Future<Long> prunedSeq(SqlConnection conn, UUID tenant) {
    return conn.preparedQuery(PRUNED)
        .execute(Tuple.of(tenant))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong("pruned_seq"));
  }

  public Future<Void> stop() {
    running.set(false);
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private static OffsetDateTime odt(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
