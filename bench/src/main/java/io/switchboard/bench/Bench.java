package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What the scenarios share: the two servers under test, the database's PID (for its CPU), the SCIM
 * seeding client, the tenants registered so far, and {@link #measure}: warm up, then one bounded
 * load with the server's CPU and peak RSS taken around it.
 */
final class Bench {
  /** Bench tenants run at the highest rate tenant-admin allows, so the limiter is not measured. */
  static final JsonObject UNLIMITED =
      new JsonObject()
          .put("rateLimit", new JsonObject().put("requestsPerSecond", 10_000).put("burst", 100_000))
          .put("concurrency", 1_000);

  /** A registered organisation, its bearer token and the users seeded into it. */
  record Tenant(String id, String token, List<String> userIds, List<String> userNames) {}

  final Vertx vertx;
  final Sizes sizes;
  final Report report;
  final ChildJvm gateway;
  final ChildJvm floor;
  final long pgPid;
  final io.switchboard.migrations.DatabaseUrl owner;
  final Load.Target gatewayTarget;
  final Load.Target floorTarget;
  final Load.Target controlTarget;
  final HttpClientAgent seedClient;
  final Scim scim;
  final Map<Integer, Tenant> tiers = new HashMap<>();
  int registered;

  /** Writes the results so far (a run cut short still leaves its JSON). */
  Runnable checkpoint = () -> {};

  Bench(
      Vertx vertx,
      Sizes sizes,
      Report report,
      ChildJvm gateway,
      ChildJvm floor,
      long pgPid,
      io.switchboard.migrations.DatabaseUrl owner) {
    this.owner = owner;
    this.vertx = vertx;
    this.sizes = sizes;
    this.report = report;
    this.gateway = gateway;
    this.floor = floor;
    this.pgPid = pgPid;
    this.gatewayTarget = new Load.Target("127.0.0.1", gateway.ready().getInteger("port"));
    this.floorTarget = new Load.Target("127.0.0.1", floor.ready().getInteger("port"));
    this.controlTarget = new Load.Target("127.0.0.1", gateway.ready().getInteger("control"));
    this.seedClient = Load.client(vertx, gatewayTarget, 32);
    this.scim = new Scim(seedClient);
  }

  // ---- control of the gateway process ----

  /**
   * One call to the gateway's control listener, on a fresh connection, with a deadline (10 minutes:
   * registering 10,000 organisations takes a while) and one retry.
   */
  JsonObject control(String path, JsonObject body) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      HttpClientAgent c = Load.client(vertx, controlTarget, 1);
      try {
        Load.Resp r =
            BenchMain.await(
                Load.call(c, new Load.Req(HttpMethod.POST, path, null, body.toBuffer(), 200, 299)),
                600);
        if (r.status() != 200) {
          throw new IllegalStateException(
              "control " + path + " answered " + r.status() + ": " + r.body());
        }
        return r.body().toJsonObject();
      } catch (RuntimeException e) {
        last = e;
        System.out.println("  control " + path + " failed (" + e.getMessage() + "), retrying");
      } finally {
        c.close();
      }
    }
    throw last;
  }

  /** Registers {@code count} organisations (one token each) with the given settings. */
  List<Tenant> registerTenants(int count, String prefix, JsonObject settings) {
    return register(
        "/ctl/tenants", new JsonObject().put("count", count).put("prefix", prefix), settings);
  }

  /** Registers organisations whose sessions live in the Vault double, answering late. */
  List<Tenant> registerVaultTenants(int count, int delayMs, JsonObject settings) {
    return register(
        "/ctl/vault-tenants",
        new JsonObject().put("count", count).put("delayMs", delayMs),
        settings);
  }

  private List<Tenant> register(String path, JsonObject spec, JsonObject settings) {
    List<Tenant> out = new ArrayList<>();
    int count = spec.getInteger("count");
    if (count <= 0) {
      return out;
    }
    if (settings != null) {
      spec.put("settings", settings);
    }
    JsonArray arr = control(path, spec).getJsonArray("tenants");
    for (int i = 0; i < arr.size(); i++) {
      JsonObject t = arr.getJsonObject(i);
      out.add(
          new Tenant(
              t.getString("id"), t.getString("token"), new ArrayList<>(), new ArrayList<>()));
    }
    registered += count;
    return out;
  }

  Tenant newTenant(String prefix) {
    return registerTenants(1, prefix, UNLIMITED).get(0);
  }

  /** A tenant holding {@code users} users, seeded once and reused by every scenario needing it. */
  Tenant tenantWithUsers(int users) {
    Tenant t = tiers.get(users);
    if (t == null) {
      t = newTenant("u" + users);
      seedUsers(t, "t" + users, users);
      tiers.put(users, t);
    }
    return t;
  }

  /** Adds {@code n} users named {@code <prefix>-<i>@bench.example} through the SCIM API. */
  void seedUsers(Tenant t, String prefix, int n) {
    long started = System.nanoTime();
    List<JsonObject> docs = new ArrayList<>(n);
    List<String> names = new ArrayList<>(n);
    int base = t.userNames().size();
    for (int i = 0; i < n; i++) {
      String name = prefix + "-" + (base + i) + "@bench.example";
      names.add(name);
      docs.add(Scim.user(name, prefix + "-ext-" + (base + i)));
    }
    List<String> ids = BenchMain.await(scim.createUsers(t.token(), docs, 16));
    t.userIds().addAll(ids);
    t.userNames().addAll(names);
    double s = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "  seeded %,d users in %.1f s (%,.0f/s, %s)%n",
        n, s, n / s, scim.usesBulk() ? "Bulk" : "one POST each");
    if (n >= 1_000) {
      analyze();
    }
  }

  /**
   * Brings the planner's statistics up to date after a bulk seed, as autovacuum would within a
   * minute, so the scenarios measure a tenant in steady state rather than plans made for empty
   * tables.
   */
  void analyze() {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
        java.sql.Statement st = c.createStatement()) {
      st.execute("analyze");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("analyze after seeding failed", e);
    }
  }

  // ---- measuring ----

  /** CPU and memory of one server around a load. */
  record Sample(double cpu, double dbCpu) {}

  Sample sample(ChildJvm server) {
    return new Sample(
        ProcStats.cpuSeconds(server.pid()), pgPid > 0 ? ProcStats.treeCpuSeconds(pgPid) : 0);
  }

  /**
   * Warms up, then runs one bounded load against {@code server} and reports it. {@code source} must
   * make valid requests however often it is called (warm-up calls it too).
   */
  Report.Row measure(
      String scenario,
      ChildJvm server,
      Load.Target target,
      Load.Spec spec,
      LongFunction<Load.Req> source) {
    Duration warm = sizes.warmup();
    if (!warm.isZero()) {
      Load.run(vertx, target, spec.withMax(Math.max(1, spec.maxRequests() / 4), warm), source);
    }
    return measureOnce(scenario, server, target, spec, source, null);
  }

  Report.Row measureOnce(
      String scenario,
      ChildJvm server,
      Load.Target target,
      Load.Spec spec,
      LongFunction<Load.Req> source,
      JsonObject extra) {
    ProcStats.resetPeakRss(server.pid());
    Sample before = sample(server);
    Load.Result r = Load.run(vertx, target, spec, source);
    Sample after = sample(server);
    return row(scenario, server.name(), spec, r, before, after, server.pid(), extra);
  }

  Report.Row row(
      String scenario,
      String system,
      Load.Spec spec,
      Load.Result r,
      Sample before,
      Sample after,
      long pid,
      JsonObject extra) {
    double per1k = r.requests() == 0 ? 0 : 1000.0 / r.requests();
    JsonObject x = extra == null ? new JsonObject() : extra;
    if (r.connections() > 0) {
      x.put("connectionsOpened", r.connections());
    }
    if (r.errors() > 0) {
      x.put("statuses", new JsonObject(new HashMap<>(toStringKeys(r.statuses()))));
      x.put("firstError", r.firstError());
    }
    String load =
        spec.rate() > 0
            ? String.format("open %.0f/s c%d", spec.rate(), spec.connections())
            : "closed c" + spec.connections();
    return new Report.Row(
        scenario,
        system,
        load,
        r.requests(),
        r.errors(),
        r.rps(),
        r.ms(50),
        r.ms(99),
        r.ms(99.9),
        (after.cpu() - before.cpu()) * per1k,
        (after.dbCpu() - before.dbCpu()) * per1k,
        ProcStats.peakRssMiB(pid),
        null,
        x);
  }

  private static Map<String, Object> toStringKeys(Map<Integer, Long> m) {
    Map<String, Object> out = new HashMap<>();
    m.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  Load.Spec closed(int connections) {
    return new Load.Spec(connections, 0, sizes.maxRequests(), sizes.measure());
  }

  Load.Spec open(double rate, int connections) {
    return new Load.Spec(connections, rate, sizes.maxRequests(), sizes.measure());
  }

  /**
   * Measures the gateway and the floor on the same load in alternating rounds (gateway, floor,
   * gateway, floor, ...) and keeps each system's median round by throughput, so a burst of
   * unrelated work on a shared machine skews one round rather than the ratio. Adds both rows.
   */
  Report.Row measurePair(
      String scenario,
      Load.Spec spec,
      LongFunction<Load.Req> gatewaySource,
      LongFunction<Load.Req> floorSource,
      Runnable betweenRounds) {
    List<Report.Row> gws = new ArrayList<>();
    List<Report.Row> fls = new ArrayList<>();
    for (int round = 0; round < sizes.rounds(); round++) {
      gws.add(measure(scenario, gateway, gatewayTarget, spec, gatewaySource));
      if (betweenRounds != null) {
        betweenRounds.run();
      }
      fls.add(measure(scenario, floor, floorTarget, spec, floorSource));
      if (betweenRounds != null) {
        betweenRounds.run();
      }
    }
    Report.Row g = median(gws);
    Report.Row f = median(fls);
    JsonArray rounds = new JsonArray();
    for (int i = 0; i < gws.size(); i++) {
      rounds.add(
          new JsonObject()
              .put("gatewayRps", Report.round(gws.get(i).rps(), 1))
              .put("floorRps", Report.round(fls.get(i).rps(), 1))
              .put("gatewayP50Ms", Report.round(gws.get(i).p50(), 3))
              .put("floorP50Ms", Report.round(fls.get(i).p50(), 3)));
    }
    g.extra().put("rounds", rounds);
    return pair(g, f);
  }

  private static Report.Row median(List<Report.Row> rows) {
    List<Report.Row> sorted = new ArrayList<>(rows);
    sorted.sort(java.util.Comparator.comparingDouble(Report.Row::rps));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /** Adds a gateway row and its floor row, with the ratio on the gateway's. */
  Report.Row pair(Report.Row gw, Report.Row fl) {
    Report.Row g = gw.withRatio(fl.rps() == 0 ? null : gw.rps() / fl.rps());
    if (gw.cpuPer1k() > 0) {
      // CPU per request is steadier than req/s when other work shares the cores
      g.extra().put("floorCpuOverGatewayCpu", Report.round(fl.cpuPer1k() / gw.cpuPer1k(), 3));
    }
    report.add(g);
    report.add(fl);
    return g;
  }

  Future<Void> done() {
    return Future.succeededFuture();
  }
}
