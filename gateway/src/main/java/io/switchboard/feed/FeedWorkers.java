package io.switchboard.feed;

import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.Switchboard;
import io.switchboard.lifecycle.LifecycleWorker;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;

/**
 * The background work a gateway instance runs beside serving SCIM: webhook delivery lanes (on a
 * pool of their own, since each lane holds a connection while it sends) and the lifecycle worker
 * (interval confirmations, managed-groups reconciliation). Every instance may run them.
 *
 * <p>Environment: {@code SWITCHBOARD_WEBHOOK_LANES} (default 4, 0 disables delivery), {@code
 * SWITCHBOARD_WEBHOOK_TIMEOUT} (seconds, default 10), {@code SWITCHBOARD_WEBHOOK_MAX_ATTEMPTS}
 * (default 18), {@code SWITCHBOARD_LIFECYCLE_TICK} (seconds, default 5); targets are filtered by
 * {@link WebhookTargets} ({@code SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE}, read by the gateway config);
 * {@code SWITCHBOARD_FEED_RETENTION} (default 30d, at least 1h): {@link FeedRetention} prunes older
 * events every 10 minutes.
 *
 * <p>Usage: {@code FeedWorkers workers = FeedWorkers.start(switchboard, System.getenv());}
 */
public final class FeedWorkers {
  private final Database deliveryDb;
  private final DeliveryWorker delivery;
  private final LifecycleWorker lifecycle;
  private final FeedRetention retention;

  private FeedWorkers(
      Database deliveryDb,
      DeliveryWorker delivery,
      LifecycleWorker lifecycle,
      FeedRetention retention) {
    this.deliveryDb = deliveryDb;
    this.delivery = delivery;
    this.lifecycle = lifecycle;
    this.retention = retention;
  }

  public static FeedWorkers start(Switchboard sb, Map<String, String> env) {
    int lanes = integer(env, "SWITCHBOARD_WEBHOOK_LANES", 4, 0, 64);
    int timeout = integer(env, "SWITCHBOARD_WEBHOOK_TIMEOUT", 10, 1, 120);
    int maxAttempts = integer(env, "SWITCHBOARD_WEBHOOK_MAX_ATTEMPTS", 18, 1, 100);
    int tick = integer(env, "SWITCHBOARD_LIFECYCLE_TICK", 5, 1, 3600);
    GatewayConfig.Reader r = new GatewayConfig.Reader(env);
    Duration keep = r.duration("SWITCHBOARD_FEED_RETENTION", Duration.ofDays(30));
    if (keep.compareTo(Duration.ofHours(1)) < 0) {
      r.problem("SWITCHBOARD_FEED_RETENTION must be at least 1h");
    }
    r.check();
    TenantKeyring keyring = TenantKeyring.create(sb.vertx(), sb.database(), sb.sessions());
    Database deliveryDb = null;
    DeliveryWorker delivery = null;
    if (lanes > 0) {
      deliveryDb = Database.create(sb.vertx(), sb.config().appDatabaseUrl(), lanes + 1);
      DeliveryWorker.Options d = DeliveryWorker.Options.DEFAULTS;
      delivery =
          DeliveryWorker.start(
              sb.vertx(),
              deliveryDb,
              keyring,
              new DeliveryWorker.Options(
                  lanes,
                  d.poll(),
                  Duration.ofSeconds(timeout),
                  d.backoffBase(),
                  d.backoffCap(),
                  maxAttempts,
                  d.batch()),
              WebhookTargets.create(sb.vertx(), sb.config().webhookAllowPrivate()));
    }
    LifecycleWorker lifecycle =
        LifecycleWorker.start(sb.vertx(), sb.database(), keyring, Duration.ofSeconds(tick));
    FeedRetention retention =
        FeedRetention.start(sb.vertx(), sb.database(), keep, Duration.ofMinutes(10), 1000);
    return new FeedWorkers(deliveryDb, delivery, lifecycle, retention);
  }

  public Future<Void> stop() {
    Future<Void> d = delivery == null ? Future.succeededFuture() : delivery.stop();
    return Future.all(d, lifecycle.stop(), retention.stop())
        .compose(v -> deliveryDb == null ? Future.succeededFuture() : deliveryDb.close())
        .mapEmpty();
  }

  private static int integer(Map<String, String> env, String name, int def, int min, int max) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return def;
    }
    try {
      int v = Integer.parseInt(raw.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max);
  }
}
