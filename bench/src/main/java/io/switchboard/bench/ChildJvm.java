package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server (gateway or floor) in a JVM of its own, started from the bench jar. Its output goes to a
 * log file; it announces itself with one line {@code BENCH-READY {json}} (ports and so on).
 *
 * <p>Usage: {@code try (var gw = ChildJvm.start("gateway", GatewayProcess.class, env, jvmArgs,
 * log)) { gw.ready().getInteger("port"); }}
 */
final class ChildJvm implements AutoCloseable {
  static final String READY = "BENCH-READY ";

  private final String name;
  private final Process process;
  private final JsonObject ready;

  private ChildJvm(String name, Process process, JsonObject ready) {
    this.name = name;
    this.process = process;
    this.ready = ready;
  }

  static ChildJvm start(
      String name,
      Class<?> main,
      Map<String, String> env,
      List<String> jvmArgs,
      List<String> args,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    try {
      Files.createDirectories(log.getParent());
      Process p = pb.start();
      // the output goes straight to the file (no pump in this JVM); poll it for the ready line
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline) {
        if (Files.exists(log)) {
          for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.startsWith(READY)) {
              return new ChildJvm(name, p, new JsonObject(line.substring(READY.length())));
            }
          }
        }
        if (!p.isAlive()) {
          throw new IllegalStateException(name + " exited before it was ready; see " + log);
        }
        Thread.sleep(100);
      }
      p.destroyForcibly();
      throw new IllegalStateException(name + " was not ready within 180 s; see " + log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  JsonObject ready() {
    return ready;
  }

  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the child's shutdown hook stops its servers
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
