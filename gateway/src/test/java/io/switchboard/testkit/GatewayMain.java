package io.switchboard.testkit;

import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * A gateway alone in its own JVM, configured from the environment as {@code switchboard gateway}
 * is, printing {@code PORT=<port>} once it listens: for tests that kill a gateway process.
 */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Switchboard sb =
        Switchboard.boot(vertx, GatewayConfig.fromEnv(System.getenv()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(120, TimeUnit.SECONDS);
    GatewayServer server =
        GatewayServer.start(sb).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    System.out.println("PORT=" + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
