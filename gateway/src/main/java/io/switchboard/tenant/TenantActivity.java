package io.switchboard.tenant;

import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-organisation request figures for the fleet view: the SCIM router records every authenticated
 * request here (in memory, lock-free), and every few seconds the counts are added to the per-minute
 * rows of {@code tenant_activity}, which tenant-admin reads across instances. Counts only: never a
 * path, a body or a user.
 *
 * <p>Usage: {@code activity.record(ctx.tenantId(), response.getStatusCode(), isWrite)}.
 */
public final class TenantActivity {
  private static final Logger LOG = LoggerFactory.getLogger(TenantActivity.class);
  private static final String UPSERT =
      "insert into tenant_activity (tenant_id, minute, requests, errors, writes, last_request_at,"
          + " last_write_at) values ($1, $2, $3, $4, $5, $6, $7)"
          + " on conflict (tenant_id, minute) do update set"
          + " requests = tenant_activity.requests + excluded.requests,"
          + " errors = tenant_activity.errors + excluded.errors,"
          + " writes = tenant_activity.writes + excluded.writes,"
          + " last_request_at = greatest(tenant_activity.last_request_at, excluded.last_request_at),"
          + " last_write_at = greatest(tenant_activity.last_write_at, excluded.last_write_at)";
  private static final String PRUNE =
      "delete from tenant_activity where minute < now() - interval '2 days'";

  private final Clock clock;
  private final Map<Key, Counts> pending = new ConcurrentHashMap<>();
  private long lastPrune;

  private TenantActivity(Clock clock) {
    this.clock = clock;
  }

  public static TenantActivity create(Clock clock) {
    return new TenantActivity(clock);
  }

  private record Key(UUID tenantId, long minute) {}

  private static final class Counts {
    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder writes = new LongAdder();
    final AtomicLong lastRequest = new AtomicLong();
    final AtomicLong lastWrite = new AtomicLong();
  }

  /** One finished request of {@code tenantId}: status ≥ 500 counts as an error. */
  public void record(UUID tenantId, int status, boolean write) {
    long now = clock.millis();
    Counts c = pending.computeIfAbsent(new Key(tenantId, now / 60_000), k -> new Counts());
    c.requests.increment();
    c.lastRequest.accumulateAndGet(now, Math::max);
    if (status >= 500) {
      c.errors.increment();
    }
    if (write && status < 400) {
      c.writes.increment();
      c.lastWrite.accumulateAndGet(now, Math::max);
    }
  }

  /** Adds what was recorded since the last flush to the database. */
  public Future<Void> flush(Database db) {
    long currentMinute = clock.millis() / 60_000;
    List<Tuple> batch = new ArrayList<>();
    for (var e : pending.entrySet()) {
      Key k = e.getKey();
      Counts c = e.getValue();
      if (k.minute() < currentMinute) {
        // nobody adds to a past minute any more (bar a request straddling it: counted next time)
        pending.remove(k, c);
      }
      long requests = c.requests.sumThenReset();
      if (requests == 0) {
        continue;
      }
      long lastWrite = c.lastWrite.get();
      batch.add(
          Tuple.of(
              k.tenantId(),
              Instant.ofEpochMilli(k.minute() * 60_000).atOffset(ZoneOffset.UTC),
              requests,
              c.errors.sumThenReset(),
              c.writes.sumThenReset(),
              Instant.ofEpochMilli(c.lastRequest.get()).atOffset(ZoneOffset.UTC),
              lastWrite == 0 ? null : Instant.ofEpochMilli(lastWrite).atOffset(ZoneOffset.UTC)));
    }
    Future<Void> written =
        batch.isEmpty()
            ? Future.succeededFuture()
            : TenantActivity.<Void>inFleetScope(
                    db, conn -> conn.preparedQuery(UPSERT).executeBatch(batch).mapEmpty())
                .recover(
                    err -> {
                      // a tenant deleted meanwhile (foreign key) or the database away: drop it
                      LOG.debug("tenant activity not saved: {}", err.getClass().getSimpleName());
                      return Future.succeededFuture();
                    });
    if (currentMinute - lastPrune >= 60) {
      lastPrune = currentMinute;
      written =
          written.compose(
              v ->
                  db.pool()
                      .query(PRUNE)
                      .execute()
                      .<Void>mapEmpty()
                      .recover(e -> Future.succeededFuture()));
    }
    return written;
  }

  /**
   * Runs {@code work} in a transaction that declares fleet scope ({@code app.scope = 'fleet'}), the
   * explicit opt-in that {@code tenant_activity}'s row-level security policy asks for to touch many
   * organisations' counters at once.
   */
  public static <T> Future<T> inFleetScope(
      Database db, java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<T>> work) {
    return db.pool()
        .withTransaction(
            conn ->
                conn.query("select set_config('app.scope', 'fleet', true)")
                    .execute()
                    .compose(r -> work.apply(conn)));
  }

  /** Flushes every {@code periodMillis} until Vert.x closes; returns the timer id. */
  public long flushEvery(Vertx vertx, Database db, long periodMillis) {
    return vertx.setPeriodic(periodMillis, id -> flush(db));
  }
}
