package io.switchboard.bench;

import io.switchboard.crypto.MasterKey;
import io.switchboard.migrations.DatabaseUrl;
import io.switchboard.migrations.EmbeddedDatabase;
import io.switchboard.migrations.Migrations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The bench runner: {@code bench/run.sh [s1 ... s8] [--quick]}. Starts PostgreSQL (embedded, fsync
 * on, or the one in {@code SWITCHBOARD_DATABASE_URL}), the gateway and the floor server each in a
 * JVM of its own, seeds through the SCIM API, drives the scenarios from this JVM over loopback,
 * prints one table and writes {@code bench/results/<timestamp>.json}.
 */
public final class BenchMain {
  static final List<String> ALL = List.of("s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("logback.configurationFile", "bench-logback.xml");
    Set<String> selected = new LinkedHashSet<>();
    boolean quick = false;
    Path resultsDir = Path.of("bench", "results");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "--full" -> quick = false;
        case "--results" -> resultsDir = Path.of(args[++i]);
        case "-h", "--help" -> {
          System.out.println(
              "usage: bench/run.sh [s1 s2 ... s8] [--quick] [--results DIR]  (default: all,"
                  + " full sizes)");
          return;
        }
        default -> {
          if (!ALL.contains(a) && !"selftest".equals(a)) {
            System.err.println("unknown scenario or option: " + a + " (scenarios: " + ALL + ")");
            System.exit(2);
          }
          selected.add(a);
        }
      }
    }
    if (selected.isEmpty()) {
      selected.addAll(ALL);
    }
    Sizes sizes = (quick ? Sizes.quick() : Sizes.full()).withEnv(System.getenv());
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Path work = Path.of("bench", "target", "run-" + stamp).toAbsolutePath();
    Files.createDirectories(work);

    JsonObject meta =
        new JsonObject()
            .put("startedAt", Instant.now().toString())
            .put("mode", sizes.mode())
            .put("scenarios", new io.vertx.core.json.JsonArray(new ArrayList<>(selected)))
            .put("command", "bench/run.sh " + String.join(" ", args))
            .put("machine", Machine.describe())
            .put("sizes", sizes.toString());
    Report report = new Report(meta);

    EmbeddedDatabase embedded = null;
    DatabaseUrl owner;
    String appPassword =
        System.getenv()
            .getOrDefault("SWITCHBOARD_DATABASE_APP_PASSWORD", "bench-" + UUID.randomUUID());
    long pgPid = -1;
    String external = System.getenv("SWITCHBOARD_DATABASE_URL");
    if (external != null && !external.isBlank()) {
      owner = DatabaseUrl.parse(external);
      meta.put("database", "external " + owner);
    } else {
      System.out.println(
          "starting embedded PostgreSQL (fsync=on, synchronous_commit=on) in " + work);
      embedded = EmbeddedDatabase.start(work.resolve("pg"), 0);
      EmbeddedDatabase db = embedded;
      Runtime.getRuntime().addShutdownHook(new Thread(db::close, "bench-postgres-stop"));
      owner = embedded.ownerUrl();
      pgPid =
          Long.parseLong(
              Files.readAllLines(work.resolve("pg").resolve("postmaster.pid")).get(0).trim());
      meta.put(
          "database",
          "embedded PostgreSQL 17, fsync=on, synchronous_commit=on, shared_buffers=256MB");
    }
    Migrations.apply(owner, "switchboard_app", appPassword);

    Map<String, String> env = new HashMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("SWITCHBOARD_")) {
                env.put(k, v);
              }
            });
    env.put("SWITCHBOARD_DATABASE_URL", ownerUrlString(owner));
    env.put("SWITCHBOARD_DATABASE_APP_PASSWORD", appPassword);
    env.putIfAbsent("SWITCHBOARD_MASTER_KEY", MasterKey.generateBase64());
    env.put("SWITCHBOARD_DATA_DIR", work.resolve("gateway-data").toString());
    env.put("SWITCHBOARD_SCIM_PORT", "0");
    env.put("SWITCHBOARD_BIND_HOST", "127.0.0.1");
    env.putIfAbsent("SWITCHBOARD_EVENT_LOOPS", "2");
    env.putIfAbsent("SWITCHBOARD_LOG_FORMAT", "text");

    List<String> serverJvm = new ArrayList<>(List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC"));
    List<String> gatewayJvm = new ArrayList<>(serverJvm);
    String jfr = System.getenv("BENCH_JFR");
    if (jfr != null && !jfr.isBlank()) {
      Path jfrFile = work.resolve("gateway.jfr");
      gatewayJvm.add(
          "-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
      System.out.println("JFR recording of the gateway: " + jfrFile);
    }
    meta.put(
        "servers",
        new JsonObject()
            .put("jvm", String.join(" ", serverJvm))
            .put("gatewayEventLoops", env.get("SWITCHBOARD_EVENT_LOOPS"))
            .put(
                "gatewayDbPoolPerLoop", env.getOrDefault("SWITCHBOARD_DB_POOL_SIZE", "4 (default)"))
            .put(
                "floor",
                "2 verticles x pool of 2, owner role, one prepared statement per request"));

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    ChildJvm gateway = null;
    ChildJvm floor = null;
    int exit = 0;
    try {
      System.out.println("starting the gateway (own JVM) ...");
      gateway =
          ChildJvm.start(
              "gateway",
              GatewayProcess.class,
              env,
              gatewayJvm,
              List.of(),
              work.resolve("gateway.log"));
      System.out.println("starting the floor server (own JVM) ...");
      floor =
          ChildJvm.start(
              "floor",
              FloorServer.class,
              Map.of(),
              serverJvm,
              List.of(ownerUrlString(owner), "2"),
              work.resolve("floor.log"));
      Bench bench = new Bench(vertx, sizes, report, gateway, floor, pgPid, owner);
      Path dir = resultsDir;
      bench.checkpoint =
          () -> {
            meta.put("finishedAt", "incomplete: written after a step");
            report.write(dir, stamp);
          };
      new Scenarios(bench).run(selected);
    } catch (Exception e) {
      exit = 1;
      report.note("run aborted: " + e);
      e.printStackTrace();
    } finally {
      if (gateway != null) {
        gateway.close();
      }
      if (floor != null) {
        floor.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
    }
    meta.put("finishedAt", Instant.now().toString());
    System.out.println();
    System.out.println("Switchboard bench, " + sizes.mode() + " mode, " + Machine.oneLine());
    System.out.println(report.table());
    Path file = report.write(resultsDir, stamp);
    System.out.println("results: " + file + "   logs: " + work);
    System.exit(exit);
  }

  static String ownerUrlString(DatabaseUrl u) {
    String cred = u.user() + (u.password() == null ? "" : ":" + Scim.encode(u.password()));
    String q =
        u.params().isEmpty()
            ? ""
            : "?"
                + String.join(
                    "&",
                    u.params().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList());
    return "postgresql://" + cred + "@" + u.host() + ":" + u.port() + "/" + u.database() + q;
  }

  static <T> T await(Future<T> f) {
    return await(f, 1800);
  }

  static <T> T await(Future<T> f, long seconds) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
