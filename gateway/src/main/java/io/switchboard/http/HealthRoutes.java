package io.switchboard.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;

/**
 * Unauthenticated probes for load balancers: {@code GET /health} (the process serves HTTP) and
 * {@code GET /ready} (and the database answers). Neither reveals anything about tenants.
 */
public final class HealthRoutes {
  private final Pool pool;

  private HealthRoutes(Pool pool) {
    this.pool = pool;
  }

  public static void mount(Router router, Pool pool) {
    HealthRoutes routes = new HealthRoutes(pool);
    router.get("/health").handler(routes::health);
    router.get("/ready").handler(routes::ready);
  }

  private void health(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "ok"));
  }

  private void ready(RoutingContext ctx) {
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
