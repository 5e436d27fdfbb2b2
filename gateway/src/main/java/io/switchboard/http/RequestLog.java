package io.switchboard.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per request: method, route pattern (never the raw path or query, which can hold
 * personal data such as a userName in a filter), status, duration, request id and tenant id.
 */
public final class RequestLog {
  private static final Logger LOG = LoggerFactory.getLogger("switchboard.access");
  public static final String TENANT_KEY = "switchboard.tenantId";

  private RequestLog() {}

  public static void handle(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addBodyEndHandler(
        v -> {
          String route = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
          Object tenant = ctx.get(TENANT_KEY);
          LOG.atInfo()
              .addKeyValue("requestId", RequestIds.of(ctx))
              .addKeyValue("tenantId", tenant == null ? "-" : tenant.toString())
              .addKeyValue("method", ctx.request().method().name())
              .addKeyValue("route", route == null ? "-" : route)
              .addKeyValue("status", ctx.response().getStatusCode())
              .addKeyValue("ms", (System.nanoTime() - started) / 1_000_000)
              .log("request");
        });
    ctx.next();
  }
}
