package io.switchboard.tenant;

import io.switchboard.migrations.DatabaseUrl;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cache invalidation across instances with PostgreSQL LISTEN/NOTIFY. A change made by tenant-admin
 * (token revoked, tenant suspended, session rewritten) is announced in the same transaction with
 * {@link #notify}; PostgreSQL delivers it at commit to every instance listening, which drops the
 * cached entry at once. A listener that loses its connection forgets everything when it reconnects,
 * since it may have missed notifications meanwhile.
 *
 * <p>Usage: {@code Invalidations.listen(vertx, url, contexts)}; {@code Invalidations.notify(conn,
 * Invalidations.token(id))}.
 */
public final class Invalidations {
  private static final Logger LOG = LoggerFactory.getLogger(Invalidations.class);
  public static final String CHANNEL = "switchboard_invalidate";
  private static final String NOTIFY = "select pg_notify('" + CHANNEL + "', $1)";

  private final PgSubscriber subscriber;

  private Invalidations(PgSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  /** Starts listening; completes once the first LISTEN is in place. */
  public static Future<Invalidations> listen(
      Vertx vertx, DatabaseUrl url, TenantContexts contexts) {
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, Database.connectOptions(url));
    subscriber.reconnectPolicy(retries -> Math.min(100L * (retries + 1), 2_000L));
    subscriber
        .channel(CHANNEL)
        .subscribeHandler(
            v -> {
              // (re)subscribed: anything may have changed while we were not listening
              contexts.invalidateAll();
            })
        .handler(payload -> apply(contexts, payload));
    subscriber.closeHandler(v -> LOG.warn("invalidation listener disconnected; reconnecting"));
    return subscriber.connect().map(v -> new Invalidations(subscriber));
  }

  static void apply(TenantContexts contexts, String payload) {
    int colon = payload.indexOf(':');
    if (colon < 0) {
      return;
    }
    String kind = payload.substring(0, colon);
    String id = payload.substring(colon + 1);
    try {
      switch (kind) {
        case "token" -> contexts.invalidateToken(id);
        case "tenant" -> {
          UUID tenant = UUID.fromString(id);
          contexts.invalidateTenant(tenant);
          contexts.invalidateSession(tenant);
        }
        case "session" -> contexts.invalidateSession(UUID.fromString(id));
        case "all" -> contexts.invalidateAll();
        default -> LOG.debug("ignoring invalidation of unknown kind {}", kind);
      }
    } catch (IllegalArgumentException e) {
      LOG.debug("ignoring malformed invalidation");
    }
  }

  public static String token(String tokenId) {
    return "token:" + tokenId;
  }

  public static String tenant(UUID tenantId) {
    return "tenant:" + tenantId;
  }

  public static String session(UUID tenantId) {
    return "session:" + tenantId;
  }

  /** Announces a change; within a transaction it is delivered when the transaction commits. */
  public static Future<Void> notify(SqlClient client, String payload) {
    return client.preparedQuery(NOTIFY).execute(Tuple.of(payload)).mapEmpty();
  }

  public Future<Void> close() {
    return subscriber.close();
  }
}
