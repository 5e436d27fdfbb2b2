package io.switchboard.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in its own JVM ({@link GatewayMain}) on the shared test database and session store,
 * listening on a given loopback port: for tests that stop it with SIGTERM or SIGKILL.
 *
 * <p>Usage: {@code var p = GatewayProcess.start(port, Map.of("SWITCHBOARD_SHUTDOWN_DELAY", "1s"));
 * p.terminate(); p.awaitExit(...)}.
 */
public final class GatewayProcess {
  private final Process process;
  private final int port;
  private final Path log;

  private GatewayProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Starts the process on a free loopback port and returns once it listens. */
  public static GatewayProcess start(Map<String, String> overrides) throws IOException {
    return start(freePort(), overrides);
  }

  /** A port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Base URL of its SCIM API. */
  public String scimUrl() {
    return "http://127.0.0.1:" + port + "/scim/v2";
  }

  /** Starts the process and returns once it listens on {@code port}. */
  public static GatewayProcess start(int port, Map<String, String> overrides) throws IOException {
    Map<String, String> env = TestGateway.baseEnv(TestGateway.sharedDataDir());
    env.put("SWITCHBOARD_RUN_MIGRATIONS", "false");
    env.put("SWITCHBOARD_WEBHOOK_LANES", "0");
    env.put("SWITCHBOARD_SCIM_PORT", Integer.toString(port));
    env.putAll(overrides);
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            GatewayMain.class.getName());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Path log = Files.createTempFile("gateway-" + port + "-", ".log");
    pb.redirectOutput(log.toFile());
    GatewayProcess gp = new GatewayProcess(pb.start(), port, log);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (Instant.now().isBefore(deadline) && gp.process.isAlive()) {
      if (gp.output().contains("PORT=" + port)) {
        return gp;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    gp.process.destroyForcibly();
    throw new IllegalStateException(
        "the gateway process on port " + port + " did not start:\n" + gp.output());
  }

  /** Everything the process printed so far (its log goes to a temporary file). */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** SIGTERM, as an orchestrator stopping a task sends. */
  public void terminate() {
    process.destroy();
  }

  /** Waits for the exit and returns its status. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "the gateway on port " + port + " did not exit in " + timeout);
    }
    return process.exitValue();
  }

  /** Whether the shutdown hook printed that the graceful stop completed (read after the exit). */
  public boolean stoppedGracefully() {
    return output().lines().anyMatch(GatewayMain.STOPPED::equals);
  }

  /** SIGKILL, for clean-up. */
  public void kill() {
    process.destroyForcibly();
  }
}
