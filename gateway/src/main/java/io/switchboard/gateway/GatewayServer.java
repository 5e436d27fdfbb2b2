package io.switchboard.gateway;

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

  private GatewayServer(Switchboard switchboard, String deploymentId, int port) {
    this.switchboard = switchboard;
    this.deploymentId = deploymentId;
    this.port = port;
  }

  public static Future<GatewayServer> start(Switchboard switchboard) {
    int port = switchboard.config().scimPort();
    int actual = port == 0 ? freePort() : port;
    return switchboard
        .vertx()
        .deployVerticle(
            () -> new GatewayVerticle(switchboard, actual),
            new DeploymentOptions().setInstances(switchboard.config().eventLoops()))
        .map(
            id -> {
              LOG.info(
                  "SCIM gateway listening on {}:{} ({} event loops)",
                  switchboard.config().bindHost(),
                  actual,
                  switchboard.config().eventLoops());
              return new GatewayServer(switchboard, id, actual);
            });
  }

  public int port() {
    return port;
  }

  /** Base URL of the SCIM API as reachable on this machine. */
  public String localBaseUrl() {
    return "http://" + switchboard.config().bindHost() + ":" + port + "/scim/v2";
  }

  /** Stops accepting, lets in-flight requests finish, then closes the listeners. */
  public Future<Void> stop() {
    return switchboard.vertx().undeploy(deploymentId);
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
