package io.switchboard.admin;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.gateway.Switchboard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics on the admin port ({@code GET /metrics}): admin request counts and latency by
 * route template (the OpenAPI path, never a concrete id) and status, tenant-context cache figures
 * and the database pool. No label ever carries a tenant id: per-organisation figures live in {@code
 * /admin/v1/fleet/status}.
 *
 * <p>Usage: {@code router.route().handler(metrics::track);
 * router.get("/metrics").handler(metrics::scrape)}.
 */
public final class AdminMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private volatile OpenAPIContract contract;

  AdminMetrics(Switchboard switchboard) {
    var contexts = switchboard.contexts();
    Gauge.builder("switchboard.tenant.sessions.cached", contexts, c -> c.stats().cachedSessions())
        .description("Unlocked tenant sessions held in this instance's cache")
        .register(registry);
    Gauge.builder("switchboard.tenant.sessions.loads", contexts, c -> c.stats().loads())
        .description("Session loads (unlocks) since start")
        .register(registry);
    Gauge.builder(
            "switchboard.tenant.sessions.load.failures", contexts, c -> c.stats().loadFailures())
        .description("Session loads that failed since start")
        .register(registry);
    Gauge.builder("switchboard.tenant.sessions.hit.ratio", contexts, c -> c.stats().hitRate())
        .description("Session cache hit ratio")
        .register(registry);
    var pool = switchboard.database().pool();
    Gauge.builder("switchboard.db.pool.size", pool, p -> p.size())
        .description("Open connections in the service-role pool")
        .register(registry);
  }

  void useContract(OpenAPIContract contract) {
    this.contract = contract;
  }

  /** Times every request; labels: method, route template, status. */
  void track(RoutingContext ctx) {
    long started = System.nanoTime();
    ctx.addEndHandler(
        done ->
            Timer.builder("switchboard.admin.requests")
                .description("Admin API requests by route template and status")
                .tag("method", ctx.request().method().name())
                .tag("route", template(ctx.request().method(), ctx.request().path()))
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
    ctx.next();
  }

  private String template(HttpMethod method, String path) {
    if (path == null) {
      return "other";
    }
    if (path.equals("/metrics") || path.equals("/health") || path.equals("/ready")) {
      return path;
    }
    if (path.equals("/admin/v1/openapi.json")) {
      return path;
    }
    OpenAPIContract c = contract;
    if (c != null && path.startsWith("/admin/v1/")) {
      try {
        Operation op = c.findOperation(path, method);
        if (op != null) {
          return op.getAbsoluteOpenAPIPath();
        }
      } catch (RuntimeException e) {
        // no such operation
      }
    }
    return "other";
  }

  void scrape(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape());
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }
}
