package io.switchboard.admin;

import io.switchboard.gateway.Switchboard;
import io.switchboard.http.HealthRoutes;
import io.switchboard.http.HttpHardening;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant-admin HTTP server (control plane, private network only): health probes, Prometheus
 * {@code /metrics}, the OpenAPI document and {@code /admin/v1}. Usage: {@code
 * AdminServer.start(switchboard, adminConfig)}.
 */
public final class AdminServer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

  private final Switchboard switchboard;
  private final AdminConfig config;
  private final AdminKeys keys;
  private final AdminMetrics metrics;
  private HttpServer server;
  private AdminApi api;
  private int actualPort;

  private AdminServer(Switchboard switchboard, AdminConfig config) {
    this.switchboard = switchboard;
    this.config = config;
    this.keys = new AdminKeys(switchboard.database());
    this.metrics = new AdminMetrics(switchboard);
  }

  public static Future<AdminServer> start(Switchboard switchboard, AdminConfig config) {
    AdminServer verticle = new AdminServer(switchboard, config);
    return switchboard.vertx().deployVerticle(verticle).map(id -> verticle);
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(HttpHardening::securityHeaders);
    router.route().handler(metrics::track);
    HealthRoutes.mount(router, switchboard.database().pool());
    router.get("/metrics").handler(metrics::scrape);
    Future<Boolean> bootstrap =
        config
            .bootstrapToken()
            .map(t -> keys.ensure(t, "bootstrap"))
            .orElse(Future.succeededFuture(true));
    return bootstrap
        .compose(
            ok ->
                AdminApi.create(
                    vertx, switchboard, keys, config.publicScimUrl(), metrics, config.oidc()))
        .compose(
            api -> {
              this.api = api;
              api.mount(router);
              server =
                  vertx.createHttpServer(
                      HttpHardening.serverOptions(switchboard.config().bindHost(), config.port()));
              return server
                  .requestHandler(router)
                  .listen()
                  .map(
                      s -> {
                        actualPort = s.actualPort();
                        LOG.info(
                            "tenant-admin listening on {}:{}",
                            switchboard.config().bindHost(),
                            actualPort);
                        return s;
                      });
            });
  }

  public int port() {
    return actualPort;
  }

  public AdminMetrics metrics() {
    return metrics;
  }

  public AdminKeys keys() {
    return keys;
  }

  @Override
  public Future<?> stop() {
    if (api != null) {
      api.close();
    }
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(
            switchboard.config().drainTimeout().toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }
}
