package io.switchboard.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A bounded soak, not part of the build: mixed IdP-style traffic across many tenants for N minutes,
 * printing requests, 5xx, heap and latency every interval. Run with {@code bench/soak.sh}.
 */
@EnabledIfSystemProperty(named = "soak.minutes", matches = "\\d+")
class SoakRun {
  @Test
  void soak() throws Exception {
    int minutes = Integer.getInteger("soak.minutes");
    int tenantsCount = Integer.getInteger("soak.tenants", 100);
    int workers = Integer.getInteger("soak.workers", 8);
    TestGateway gw = TestGateway.shared();
    List<TestTenant> tenants = new ArrayList<>();
    for (int i = 0; i < tenantsCount; i++) {
      TestTenant t = gw.newTenant();
      gw.setSettings(
          t.id(),
          new JsonObject()
              .put(
                  "rateLimit", new JsonObject().put("requestsPerSecond", 1000).put("burst", 2000)));
      tenants.add(t);
    }
    AtomicLong requests = new AtomicLong();
    AtomicLong errors5xx = new AtomicLong();
    AtomicLong other4xx = new AtomicLong();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      long seed = w;
      pool.submit(
          () -> {
            Random random = new Random(seed);
            long n = 0;
            while (System.nanoTime() < end) {
              TestTenant t = tenants.get(random.nextInt(tenants.size()));
              long start = System.nanoTime();
              int status = oneRound(t.scim(), random, seed + "-" + (n++));
              latencies.add(System.nanoTime() - start);
              requests.incrementAndGet();
              if (status >= 500) {
                errors5xx.incrementAndGet();
              } else if (status >= 400 && status != 404 && status != 409) {
                other4xx.incrementAndGet();
              }
            }
            return null;
          });
    }
    pool.shutdown();
    var memory = ManagementFactory.getMemoryMXBean();
    System.out.printf(
        "soak: %d tenants, %d workers, %d min%n%8s %10s %6s %6s %8s %8s %8s %10s%n",
        tenantsCount,
        workers,
        minutes,
        "t(s)",
        "rounds",
        "5xx",
        "4xx*",
        "p50ms",
        "p99ms",
        "maxms",
        "heapMB");
    long t0 = System.nanoTime();
    while (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
      report(t0, requests, errors5xx, other4xx, latencies, memory);
    }
    report(t0, requests, errors5xx, other4xx, latencies, memory);
    assertThat(errors5xx.get()).as("5xx during the soak").isZero();
  }

  private static void report(
      long t0,
      AtomicLong requests,
      AtomicLong errors5xx,
      AtomicLong other4xx,
      ConcurrentLinkedQueue<Long> latencies,
      java.lang.management.MemoryMXBean memory) {
    long[] l = new long[latencies.size()];
    int i = 0;
    Long x;
    while (i < l.length && (x = latencies.poll()) != null) {
      l[i++] = x;
    }
    l = Arrays.copyOf(l, i);
    Arrays.sort(l);
    double p50 = l.length == 0 ? 0 : l[l.length / 2] / 1e6;
    double p99 = l.length == 0 ? 0 : l[(int) (l.length * 0.99)] / 1e6;
    double max = l.length == 0 ? 0 : l[l.length - 1] / 1e6;
    System.gc();
    long heap = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
    System.out.printf(
        "%8d %10d %6d %6d %8.1f %8.1f %8.1f %10d%n",
        (System.nanoTime() - t0) / 1_000_000_000L,
        requests.get(),
        errors5xx.get(),
        other4xx.get(),
        p50,
        p99,
        max,
        heap);
  }

  /** One IdP-like round: create, read, filter, patch, group membership, sometimes delete. */
  private static int oneRound(ScimClient scim, Random random, String tag) {
    String userName = "soak-" + tag + "@example.com";
    Response created =
        scim.post(
            "/Users",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName
                + "\",\"externalId\":\"x-"
                + tag
                + "\",\"active\":true,\"emails\":[{\"value\":\""
                + userName
                + "\",\"primary\":true}]}");
    if (created.status() != 201) {
      return created.status();
    }
    String id = created.body().get("id").asText();
    int worst = 201;
    worst = Math.max(worst, scim.get("/Users/" + id).status());
    worst =
        Math.max(
            worst,
            scim.get("/Users?filter=" + ScimClient.q("userName eq \"" + userName + "\"")).status());
    worst =
        Math.max(
            worst,
            scim.patch(
                    "/Users/" + id,
                    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}")
                .status());
    Response group =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"g-"
                + tag
                + "\",\"members\":[{\"value\":\""
                + id
                + "\"}]}");
    worst = Math.max(worst, group.status());
    if (random.nextInt(3) == 0) {
      worst = Math.max(worst, scim.delete("/Users/" + id).status());
    }
    return worst >= 500 ? worst : (worst >= 400 ? worst : 200);
  }
}
