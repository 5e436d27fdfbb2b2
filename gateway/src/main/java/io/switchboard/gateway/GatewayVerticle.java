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
  private final Switchboard switchboard;
  private final int port;
  private final Draining draining;
  private HttpServer server;

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
    server =
        vertx.createHttpServer(HttpHardening.serverOptions(switchboard.config().bindHost(), port));
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
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
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
