package io.switchboard.feed;

import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives committed feed events their seq ({@code sb_sequence_feed}, V12_2) soon after they commit:
 * {@link Database} calls {@link #committed} after every transaction that appended an event, and a
 * sweep every {@code sweepMillis} sequences what other instances or a crash left behind. Runs per
 * tenant are coalesced: while one is in flight, further commits only ask for one more run after it,
 * so a burst of writes costs a few sequencing transactions, not one each.
 *
 * <p>Readers do not depend on it: {@link FeedReader} sequences before it reads. Webhook delivery
 * does (it looks for events past an endpoint's cursor).
 *
 * <p>Usage: {@code FeedSequencer seq = FeedSequencer.start(vertx, db, 200);
 * db.afterFeedCommit(seq::committed);}
 */
public final class FeedSequencer {
  private static final Logger LOG = LoggerFactory.getLogger(FeedSequencer.class);
  static final String SEQUENCE = "select sb_sequence_feed($1, $2)";
  static final int BATCH = 10_000;
  private static final String PENDING_TENANTS =
      "select tenant_id from sb_tenants_with_unsequenced_events($1)";

  private enum State {
    RUNNING,
    RUN_AGAIN
  }

  private final Vertx vertx;
  private final Database db;
  private final ConcurrentHashMap<UUID, State> tenants = new ConcurrentHashMap<>();
  private final long timer;
  private volatile boolean stopped;

  private FeedSequencer(Vertx vertx, Database db, long sweepMillis) {
    this.vertx = vertx;
    this.db = db;
    this.timer = sweepMillis > 0 ? vertx.setPeriodic(sweepMillis, id -> sweep()) : -1;
  }

  public static FeedSequencer start(Vertx vertx, Database db, long sweepMillis) {
    return new FeedSequencer(vertx, db, sweepMillis);
  }

  /** A transaction of {@code tenantId} that appended events has committed. */
  public void committed(UUID tenantId) {
    if (stopped) {
      return;
    }
    boolean[] start = {false};
    tenants.compute(
        tenantId,
        (id, s) -> {
          start[0] = s == null;
          return s == null ? State.RUNNING : State.RUN_AGAIN;
        });
    if (start[0]) {
      run(tenantId);
    }
  }

  private void run(UUID tenantId) {
    db.scopedCall(SEQUENCE, Tuple.of(tenantId, BATCH))
        .onFailure(e -> LOG.debug("feed not sequenced yet (the sweep retries): {}", e.toString()))
        .onComplete(
            done -> {
              // RUN_AGAIN: commits arrived during the run; one more run covers all of them
              State after =
                  tenants.computeIfPresent(
                      tenantId, (id, s) -> s == State.RUN_AGAIN ? State.RUNNING : null);
              if (after == State.RUNNING && !stopped) {
                run(tenantId);
              }
            });
  }

  private void sweep() {
    db.pool()
        .withTransaction(conn -> conn.preparedQuery(PENDING_TENANTS).execute(Tuple.of(1000)))
        .onSuccess(
            rows -> {
              for (Row row : rows) {
                committed(row.getUUID(0));
              }
            })
        .onFailure(e -> LOG.debug("feed sweep failed: {}", e.toString()));
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
