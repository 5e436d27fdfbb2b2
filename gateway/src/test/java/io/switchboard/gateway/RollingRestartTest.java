package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.GatewayProcess;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.switchboard.testkit.TestLoadBalancer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("A rolling restart of two gateway processes behind a load balancer")
class RollingRestartTest {
  /** The exit status of a JVM ended by SIGTERM once its shutdown hooks ran (128 + 15). */
  private static final int SIGTERM_EXIT = 143;

  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Map<String, String> ENV =
      Map.of("SWITCHBOARD_SHUTDOWN_DELAY", "1s", "SWITCHBOARD_DRAIN_TIMEOUT", "10s");

  /** What the client was told: user id → (userName, displayName) for the users that exist. */
  private final Map<String, String[]> live = new ConcurrentHashMap<>();

  private final Map<String, Boolean> deleted = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicBoolean stop = new AtomicBoolean();

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  @DisplayName(
      "SIGTERM, wait, restart, one instance after the other, under sustained SCIM traffic: the"
          + " client sees no failed request and every acknowledged change is in the final state")
  void rollingRestartLosesNothing() throws Exception {
    Instant began = Instant.now();
    TestGateway shared = TestGateway.shared();
    List<TestTenant> tenants = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestTenant t = shared.newTenant();
      shared.setSettings(
          t.id(),
          new JsonObject()
              .put(
                  "rateLimit",
                  new JsonObject().put("requestsPerSecond", 10_000).put("burst", 100_000))
              .put("hardDelete", "erase"));
      tenants.add(t);
    }
    int portA = GatewayProcess.freePort();
    int portB = GatewayProcess.freePort();
    List<GatewayProcess> all = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    try (TestLoadBalancer lb = TestLoadBalancer.start(List.of(portA, portB))) {
      GatewayProcess a = GatewayProcess.start(portA, ENV);
      all.add(a);
      GatewayProcess b = GatewayProcess.start(portB, ENV);
      all.add(b);
      lb.awaitHealth(portA, true, READY_TIMEOUT);
      lb.awaitHealth(portB, true, READY_TIMEOUT);

      int w = 0;
      for (TestTenant t : tenants) {
        for (int i = 0; i < 2; i++) {
          ScimClient scim = new ScimClient(lb.baseUrl(), t.token());
          String prefix = "rr" + w++;
          Thread worker =
              new Thread(() -> drive(scim, t.slug() + "-" + prefix), "rolling-" + prefix);
          worker.start();
          workers.add(worker);
        }
      }

      GatewayProcess newA = roll(lb, a, all);
      GatewayProcess newB = roll(lb, b, all);
      // the restarted instances take traffic too
      awaitServed(lb, newA.port(), lb.served(newA.port()) + 20);
      awaitServed(lb, newB.port(), lb.served(newB.port()) + 20);

      stop.set(true);
      for (Thread worker : workers) {
        worker.join(30_000);
      }
      assertThat(failures).as("requests that failed at the client").isEmpty();
      assertThat(lb.errors()).as("answers the load balancer made up").isEmpty();
      System.out.printf(
          "rolling restart: %d requests, %d live users, %d deleted, %d retried before send,"
              + " %d s%n",
          requests.get(),
          live.size(),
          deleted.size(),
          lb.retriedBeforeSend(),
          Duration.between(began, Instant.now()).toSeconds());
    } finally {
      stop.set(true);
      all.forEach(GatewayProcess::kill);
    }

    // the final state, read from another instance, is what the client was told
    for (TestTenant t : tenants) {
      ScimClient direct = shared.client(t.token());
      Map<String, String[]> stored = new HashMap<>();
      for (int start = 1; ; start += 500) {
        JsonNode page = direct.get("/Users?count=500&startIndex=" + start).body();
        for (JsonNode u : page.get("Resources")) {
          stored.put(
              u.get("id").asText(),
              new String[] {u.get("userName").asText(), u.path("displayName").asText()});
        }
        if (start + 500 > page.get("totalResults").asInt()) {
          break;
        }
      }
      Map<String, String[]> expected = new HashMap<>();
      live.forEach(
          (id, v) -> {
            if (v[0].startsWith(t.slug())) {
              expected.put(id, v);
            }
          });
      assertThat(expected).as("tenant %s has acknowledged users", t.slug()).isNotEmpty();
      assertThat(stored.keySet()).as("users of %s", t.slug()).isEqualTo(expected.keySet());
      expected.forEach(
          (id, v) -> assertThat(stored.get(id)).as("user %s", v[0]).containsExactly(v));
    }
    for (String id : deleted.keySet()) {
      assertThat(live).doesNotContainKey(id);
    }
  }

  /** SIGTERM, wait for the exit, start a new process on the same port, wait until it is ready. */
  private GatewayProcess roll(TestLoadBalancer lb, GatewayProcess old, List<GatewayProcess> all)
      throws Exception {
    awaitServed(lb, old.port(), 20);
    old.terminate();
    int status = old.awaitExit(EXIT_TIMEOUT);
    assertThat(status).as("exit status after SIGTERM").isEqualTo(SIGTERM_EXIT);
    assertThat(old.stoppedGracefully())
        .as("the shutdown hook completed its stop; output:%n%s", old.output())
        .isTrue();
    GatewayProcess fresh = GatewayProcess.start(old.port(), ENV);
    all.add(fresh);
    lb.awaitHealth(fresh.port(), true, READY_TIMEOUT);
    return fresh;
  }

  private static void awaitServed(TestLoadBalancer lb, int port, long atLeast)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (lb.served(port) < atLeast && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(lb.served(port)).as("answers from the instance on %d", port).isGreaterThan(0);
    assertThat(lb.served(port))
        .as("answers from the instance on %d", port)
        .isGreaterThanOrEqualTo(atLeast);
  }

  /**
   * One client's sustained mix on its own users: create, read, PATCH, PUT, filter, and delete every
   * third. Every answer must be the expected one; the model changes only on an acknowledgement.
   */
  private void drive(ScimClient scim, String prefix) {
    for (int i = 0; !stop.get(); i++) {
      String userName = prefix + "-" + i + "@example.com";
      try {
        ScimClient.Response created =
            expect(
                scim.post(
                    "/Users",
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                        + userName
                        + "\",\"displayName\":\"v0\"}"),
                201,
                "POST " + userName);
        if (created == null) {
          continue;
        }
        String id = created.body().get("id").asText();
        live.put(id, new String[] {userName, "v0"});
        ScimClient.Response read = expect(scim.get("/Users/" + id), 200, "GET " + userName);
        if (read != null && !userName.equals(read.body().path("userName").asText())) {
          failures.add("GET " + userName + " read " + read.raw());
        }
        if (expect(
                scim.patch(
                    "/Users/" + id,
                    "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                        + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                        + "\"value\":\"p"
                        + i
                        + "\"}]}"),
                200,
                "PATCH " + userName)
            != null) {
          live.put(id, new String[] {userName, "p" + i});
        }
        if (expect(
                scim.put(
                    "/Users/" + id,
                    "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                        + userName
                        + "\",\"displayName\":\"u"
                        + i
                        + "\"}"),
                200,
                "PUT " + userName)
            != null) {
          live.put(id, new String[] {userName, "u" + i});
        }
        ScimClient.Response found =
            expect(
                scim.get("/Users?filter=" + ScimClient.q("userName eq \"" + userName + "\"")),
                200,
                "filter " + userName);
        if (found != null && found.body().path("totalResults").asInt() != 1) {
          failures.add("filter " + userName + " found " + found.raw());
        }
        if (i % 3 == 0 && expect(scim.delete("/Users/" + id), 204, "DELETE " + userName) != null) {
          live.remove(id);
          deleted.put(id, true);
          expect(scim.get("/Users/" + id), 404, "GET deleted " + userName);
        }
      } catch (RuntimeException transport) {
        failures.add(userName + ": " + transport);
      }
    }
  }

  private ScimClient.Response expect(ScimClient.Response r, int status, String what) {
    requests.incrementAndGet();
    if (r.status() != status) {
      failures.add(what + " answered " + r.status() + " " + r.raw());
      return null;
    }
    return r;
  }
}
