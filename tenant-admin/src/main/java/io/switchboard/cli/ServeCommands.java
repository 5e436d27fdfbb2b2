package io.switchboard.cli;

import io.switchboard.admin.AdminConfig;
import io.switchboard.admin.AdminServer;
import io.switchboard.feed.FeedWorkers;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.switchboard.migrations.Migrations;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

/** The long-running services, configured entirely from the environment (see the README). */
final class ServeCommands {
  private ServeCommands() {}

  @Command(name = "gateway", description = "Run the SCIM gateway (data plane).")
  static final class Gateway implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      GatewayConfig config = GatewayConfig.fromEnv(System.getenv());
      Vertx vertx = Vertx.vertx();
      Switchboard sb = await(Switchboard.boot(vertx, config));
      GatewayServer gateway = await(GatewayServer.start(sb));
      FeedWorkers workers = FeedWorkers.start(sb, System.getenv());
      // one step at a time from the hook's thread: a vertx.close() composed onto a Vert.x future
      // completes on an event loop that no longer exists, and the hook would wait forever
      return runUntilSignal(
          () -> {
            await(gateway.stop());
            await(workers.stop());
            await(sb.close());
            await(vertx.close());
          });
    }
  }

  @Command(name = "admin", description = "Run tenant-admin (control plane; keep it private).")
  static final class Admin implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      GatewayConfig config = GatewayConfig.fromEnv(System.getenv());
      AdminConfig adminConfig = AdminConfig.fromEnv(System.getenv(), config);
      Vertx vertx = Vertx.vertx();
      Switchboard sb = await(Switchboard.boot(vertx, config));
      await(AdminServer.start(sb, adminConfig));
      return runUntilSignal(
          () -> {
            await(sb.close());
            await(vertx.close());
          });
    }
  }

  @Command(name = "migrate", description = "Apply database migrations and exit.")
  static final class Migrate implements Callable<Integer> {
    @Override
    public Integer call() {
      GatewayConfig config = GatewayConfig.fromEnv(System.getenv());
      Migrations.Result r =
          Migrations.apply(config.databaseUrl(), config.appUser(), config.appPassword());
      System.out.println(
          "migrations applied: " + r.migrationsApplied() + ", schema version " + r.schemaVersion());
      return SwitchboardCli.OK;
    }
  }

  static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }

  /** Blocks until SIGTERM/SIGINT, then runs {@code shutdown} (graceful drain) before exiting. */
  static int runUntilSignal(ThrowingRunnable shutdown) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    shutdown.run();
                  } catch (Exception e) {
                    System.err.println("shutdown: " + e.getMessage());
                  } finally {
                    stopped.countDown();
                  }
                },
                "switchboard-shutdown"));
    stopped.await();
    return SwitchboardCli.OK;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
