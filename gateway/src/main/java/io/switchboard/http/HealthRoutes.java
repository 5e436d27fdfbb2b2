package io.switchboard.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Unauthenticated probes for load balancers: {@code GET /health} (the process serves HTTP) and
 * {@code GET /ready} (the database answers and the instance is not shutting down: 503 {@code
 * {"status":"draining"}} once it is). Neither reveals anything about tenants.
 */
public final class HealthRoutes {
  private final Pool pool;
  private final Draining draining;

  private HealthRoutes(Pool pool, Draining draining) {
    this.pool = pool;
    this.draining = draining;
  }

  /** Probes for a server that never reports draining. */
  public static void mount(Router router, Pool pool) {
    mount(router, pool, Draining.create());
  }

  public static void mount(Router router, Pool pool, Draining draining) {
    HealthRoutes routes = new HealthRoutes(pool, draining);
    router.get("/health").handler(routes::health);
    router.get("/ready").handler(routes::ready);
  }

  private void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "ok"));
  }

  private void ready(RoutingContext ctx) {
    if (draining.active()) {
      json(ctx, 503, new JsonObject().put("status", "draining"));
      return;
    }
    pool.query("select 1")
        .execute()
        .onSuccess(r -> json(ctx, 200, new JsonObject().put("status", "ready")))
        .onFailure(
            e ->
                json(
                    ctx,
                    503,
                    new JsonObject().put("status", "unavailable").put("database", "unreachable")));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
