package io.switchboard.gateway;

import io.switchboard.http.Draining;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys the SCIM data plane: one {@link GatewayVerticle} per event loop on the configured port (a
 * free one when the port is 0, as in tests).
 *
 * <p>Usage: {@code GatewayServer.start(switchboard).onSuccess(gw -> gw.port())}.
 */
public final class GatewayServer {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

  private final Switchboard switchboard;
  private final String deploymentId;
  private final int port;
  private final Draining draining;
  private Future<Void> stopped;

  private GatewayServer(Switchboard switchboard, String deploymentId, int port, Draining draining) {
    this.switchboard = switchboard;
    this.deploymentId = deploymentId;
    this.port = port;
    this.draining = draining;
  }

  public static Future<GatewayServer> start(Switchboard switchboard) {
    int port = switchboard.config().scimPort();
    int actual = port == 0 ? freePort() : port;
    Draining draining = Draining.create();
    return switchboard
        .vertx()
        .deployVerticle(
            () -> new GatewayVerticle(switchboard, actual, draining),
            new DeploymentOptions().setInstances(switchboard.config().eventLoops()))
        .map(
            id -> {
              LOG.info(
                  "SCIM gateway listening on {}:{} ({} event loops)",
                  switchboard.config().bindHost(),
                  actual,
                  switchboard.config().eventLoops());
              return new GatewayServer(switchboard, id, actual, draining);
            });
  }

  public int port() {
    return port;
  }

  /** Base URL of the SCIM API as reachable on this machine. */
  public String localBaseUrl() {
    String scheme = switchboard.config().tls().isPresent() ? "https" : "http";
    return scheme + "://" + switchboard.config().bindHost() + ":" + port + "/scim/v2";
  }

  /**
   * What SIGTERM runs, in the order load balancers expect (ALB deregistration, Kubernetes endpoint
   * removal): at once {@code /ready} answers 503 and responses carry {@code Connection: close},
   * while requests are still served for SWITCHBOARD_SHUTDOWN_DELAY, long enough for the load
   * balancer to stop sending any; then the listener stops accepting and in-flight requests get
   * SWITCHBOARD_DRAIN_TIMEOUT to finish. Calling it again returns the same future.
   */
  public synchronized Future<Void> stop() {
    if (stopped == null) {
      draining.begin();
      long delay = switchboard.config().shutdownDelay().toMillis();
      LOG.info(
          "shutting down: /ready answers 503; serving for {} ms more, then draining for up to {}"
              + " ms",
          delay,
          switchboard.config().drainTimeout().toMillis());
      Future<Void> delayed =
          delay == 0 ? Future.succeededFuture() : switchboard.vertx().timer(delay).mapEmpty();
      stopped =
          delayed
              .compose(v -> switchboard.vertx().undeploy(deploymentId))
              .onComplete(ar -> LOG.info("SCIM gateway stopped"));
    }
    return stopped;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
