package io.switchboard.gateway;

import io.switchboard.http.Draining;
import io.switchboard.http.HealthRoutes;
import io.switchboard.http.HttpHardening;
import io.switchboard.http.RequestIds;
import io.switchboard.http.RequestLog;
import io.switchboard.http.ScimErrors;
import io.switchboard.http.ScimRouter;
import io.switchboard.vault.JwksHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * One event loop's HTTP server for the SCIM data plane. {@link GatewayServer} deploys one per event
 * loop; they share the port and the {@link Switchboard} runtime.
 */
final class GatewayVerticle extends VerticleBase {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GatewayVerticle.class);
  private final Switchboard switchboard;
  private final int port;
  private final Draining draining;
  private HttpServer server;
  private long reloadTimer = -1;

  GatewayVerticle(Switchboard switchboard, int port, Draining draining) {
    this.switchboard = switchboard;
    this.port = port;
    this.draining = draining;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(draining::closeConnections);
    router.route().handler(HttpHardening::securityHeaders);
    router.route().handler(RequestIds::assign);
    router.route().handler(RequestLog::handle);
    HealthRoutes.mount(router, switchboard.database().pool(), draining);
    JwksHandler.mount(router, switchboard.jwtSigner());
    ScimRouter.mount(router, switchboard);
    router.route().failureHandler(this::reloadSessionOnNewKey);
    router.route().failureHandler(ScimErrors::handle);
    router.errorHandler(404, ScimErrors::handle);
    router.errorHandler(405, ScimErrors::handle);
    router.errorHandler(500, ScimErrors::handle);
    var options = HttpHardening.serverOptions(switchboard.config().bindHost(), port);
    switchboard.config().tls().ifPresent(tls -> tls.applyTo(options));
    server = vertx.createHttpServer(options);
    server.invalidRequestHandler(
        req -> {
          // oversized headers or request line: answer with a SCIM body, then close
          io.vertx.core.http.HttpServerResponse response = req.response();
          int status =
              req.decoderResult().cause() instanceof io.netty.handler.codec.TooLongFrameException
                  ? 431
                  : 400;
          response
              .setStatusCode(status)
              .putHeader("Content-Type", "application/scim+json")
              .putHeader("Connection", "close")
              .end(
                  "{\"schemas\":[\""
                      + ScimErrors.ERROR_SCHEMA
                      + "\"],\"status\":\""
                      + status
                      + "\",\"detail\":\"The request line or headers are malformed or too large.\"}");
        });
    return server
        .requestHandler(router)
        .listen()
        .onSuccess(listening -> switchboard.config().tls().ifPresent(this::reloadCertificates));
  }

  /**
   * Re-reads the certificate and key every {@code reloadEvery}; when their contents changed, new
   * connections get the new certificate (established ones keep theirs). A file that does not parse
   * leaves the previous certificate in use and is logged.
   */
  private void reloadCertificates(TlsOptions tls) {
    String[] served = {null};
    reloadTimer =
        vertx.setPeriodic(
            0,
            tls.reloadEvery().toMillis(),
            id ->
                vertx
                    .executeBlocking(tls::fingerprint, false)
                    .onSuccess(
                        fingerprint -> {
                          if (served[0] == null) {
                            served[0] = fingerprint;
                          } else if (!served[0].equals(fingerprint)) {
                            server
                                .updateSSLOptions(tls.sslOptions(), true)
                                .onSuccess(
                                    updated -> {
                                      served[0] = fingerprint;
                                      LOG.info(
                                          "TLS certificate reloaded from {}", tls.certificate());
                                    })
                                .onFailure(
                                    e ->
                                        LOG.warn(
                                            "TLS certificate in {} not reloaded, still serving the"
                                                + " previous one: {}",
                                            tls.certificate(),
                                            e.getMessage()));
                          }
                        })
                    .onFailure(
                        e ->
                            LOG.warn(
                                "TLS files not readable, still serving the previous"
                                    + " certificate: {}",
                                e.getMessage())));
  }

  @Override
  public Future<?> stop() {
    if (reloadTimer >= 0) {
      vertx.cancelTimer(reloadTimer);
    }
    // stop accepting, let in-flight requests finish, then close whatever is still open
    return server == null
        ? Future.succeededFuture()
        : server.shutdown(
            switchboard.config().drainTimeout().toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * A row under a key version this instance's cached session lacks means the tenant's key was
   * rotated and the announcement has not arrived yet: drop the cached session so the client's retry
   * (the answer is 503 with Retry-After) reads the new one.
   */
  private void reloadSessionOnNewKey(io.vertx.ext.web.RoutingContext ctx) {
    if (ctx.failure() instanceof io.switchboard.crypto.DataCipher.UnknownKeyVersionException
        && ctx.get(RequestLog.TENANT_KEY) instanceof java.util.UUID tenantId) {
      switchboard.contexts().invalidateSession(tenantId);
    }
    ctx.next();
  }
}
