package io.switchboard.testkit;

import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;

/**
 * A gateway alone in its own JVM, configured from the environment as {@code switchboard gateway}
 * is, printing {@code PORT=<port>} once it listens: for tests that kill or restart a gateway
 * process. On SIGTERM it runs the same sequence as {@code switchboard gateway}'s shutdown hook
 * ({@link GatewayServer#stop()}: not ready, shutdown delay, drain; then the runtime closes) and
 * prints {@link #STOPPED} when that sequence completed.
 */
public final class GatewayMain {
  /** Printed by the shutdown hook once the graceful stop completed. */
  public static final String STOPPED = "GATEWAY-STOPPED";

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
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    // one step at a time from this thread: a vertx.close() composed onto a
                    // Vert.x future completes on an event loop that no longer exists
                    await(server.stop());
                    await(sb.close());
                    await(vertx.close());
                    System.out.println(STOPPED);
                    System.out.flush();
                  } catch (Exception e) {
                    System.err.println("shutdown: " + e);
                  }
                },
                "gateway-shutdown"));
    System.out.println("PORT=" + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
