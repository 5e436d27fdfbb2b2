package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.migrations.EmbeddedDatabase;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "PostgreSQL restarted under load: clean 503s, recovery without a restart, no lost writes")
class DatabaseRestartTest {

  @Test
  @DisplayName("requests during the outage get 503 with Retry-After; acknowledged writes survive")
  void restart() throws Exception {
    Path dir = Files.createTempDirectory("sb-restart-db");
    EmbeddedDatabase db = EmbeddedDatabase.start(dir, 0);
    int port = db.port();
    var owner = db.ownerUrl();
    String url =
        "postgresql://" + owner.user() + "@" + owner.host() + ":" + port + "/" + owner.database();
    AtomicBoolean stop = new AtomicBoolean();
    TestGateway gateway =
        TestGateway.start(
            env -> {
              env.put("SWITCHBOARD_DATABASE_URL", url);
              env.put("SWITCHBOARD_DB_POOL_SIZE", "2");
            });
    try {
      var tenant = gateway.newTenant();
      // the load below is far above the default per-tenant rate; this test is about the database
      gateway.setSettings(
          tenant.id(),
          new io.vertx.core.json.JsonObject()
              .put(
                  "rateLimit",
                  new io.vertx.core.json.JsonObject()
                      .put("requestsPerSecond", 10_000)
                      .put("burst", 100_000)));
      ScimClient scim = tenant.scim();
      assertThat(scim.get("/Users").status()).isEqualTo(200);

      Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
      Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
      List<String> badResponses = new ArrayList<>();
      AtomicInteger counter = new AtomicInteger();
      Thread load =
          new Thread(
              () -> {
                while (!stop.get() && counter.get() < 5_000) {
                  String userName = "load" + counter.incrementAndGet() + "@example.com";
                  Response r =
                      scim.post(
                          "/Users",
                          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                              + "\"userName\":\""
                              + userName
                              + "\"}");
                  statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
                  if (r.status() == 503) {
                    // back off as an IdP honouring Retry-After would; flat out, the 503s come
                    // back so fast that the tenant's rate limit (100/s) answers 429 instead
                    try {
                      Thread.sleep(20);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                  if (r.status() == 201) {
                    acknowledged.put(userName, 1);
                  } else if ((r.status() != 503 && r.status() != 429)
                      || r.header("Retry-After") == null
                      || !r.raw().contains("urn:ietf:params:scim:api:messages:2.0:Error")) {
                    synchronized (badResponses) {
                      badResponses.add(r.toString());
                    }
                  }
                }
              },
              "restart-load");
      load.start();
      awaitCount(acknowledged, 20);

      db.close(); // the database goes away mid-load
      Thread.sleep(1_500); // let requests hit the outage (not an assertion)
      EmbeddedDatabase restarted = EmbeddedDatabase.start(dir, port);
      try {
        int before = acknowledged.size();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (acknowledged.size() < before + 20 && Instant.now().isBefore(deadline)) {
          Thread.sleep(50);
        }
        stop.set(true);
        load.join(30_000);

        assertThat(statuses).as("statuses seen: %s", statuses).containsKey(503);
        assertThat(acknowledged.size())
            .as("writes resumed after the restart")
            .isGreaterThan(before);
        // Outage answers are fast, so this tight loop can outrun the default per-tenant rate limit:
        // a 429 with Retry-After is as clean a refusal as a 503 (nothing acknowledged, nothing
        // lost).
        assertThat(badResponses)
            .as("every failure was a SCIM 503 or 429 with Retry-After")
            .isEmpty();
        assertThat(statuses).doesNotContainKey(500);

        Set<String> present = ConcurrentHashMap.newKeySet();
        int start = 1;
        while (true) {
          Response page = scim.get("/Users?startIndex=" + start + "&count=1000");
          // the load above may have emptied the tenant's token bucket: honour Retry-After
          for (int retry = 0; retry < 10 && page.status() == 429; retry++) {
            Thread.sleep(1000L * Long.parseLong(page.header("Retry-After")));
            page = scim.get("/Users?startIndex=" + start + "&count=1000");
          }
          assertThat(page.status()).isEqualTo(200);
          page.body().path("Resources").forEach(u -> present.add(u.get("userName").asText()));
          start += 1000;
          if (start > page.body().get("totalResults").asInt()) {
            break;
          }
        }
        assertThat(present).as("no acknowledged write is lost").containsAll(acknowledged.keySet());
      } finally {
        gateway.close();
        restarted.close();
      }
    } finally {
      stop.set(true);
    }
  }

  private static void awaitCount(Map<String, Integer> map, int n) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (map.size() < n && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(map.size()).isGreaterThanOrEqualTo(n);
  }
}
