package io.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.GatewayProcess;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestDatabase;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A gateway killed with SIGKILL under load and restarted: no torn writes")
class GatewayKillTest {

  @Test
  @DisplayName(
      "every acknowledged create is readable after the restart, and each user row has its"
          + " creation event in the feed")
  void killAndRestart() throws Exception {
    TestGateway shared = TestGateway.shared();
    TestTenant tenant = shared.newTenant();
    shared.setSettings(
        tenant.id(),
        new io.vertx.core.json.JsonObject()
            .put(
                "rateLimit",
                new io.vertx.core.json.JsonObject()
                    .put("requestsPerSecond", 10_000)
                    .put("burst", 100_000)));
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    GatewayProcess first = GatewayProcess.start(Map.of());
    try {
      ScimClient scim = new ScimClient(first.scimUrl(), tenant.token());
      AtomicBoolean stop = new AtomicBoolean();
      Thread load =
          new Thread(
              () -> {
                for (int i = 0; i < 5_000 && !stop.get(); i++) {
                  String userName = "kill" + i + "@example.com";
                  try {
                    ScimClient.Response r =
                        scim.post("/Users", "{\"userName\":\"" + userName + "\"}");
                    if (r.status() == 201) {
                      acknowledged.put(r.body().get("id").asText(), userName);
                    }
                  } catch (RuntimeException connectionGone) {
                    return; // the process died under this request: its outcome is unknown
                  }
                }
              },
              "kill-load");
      load.start();
      Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
      while (acknowledged.size() < 30 && Instant.now().isBefore(deadline)) {
        Thread.sleep(10);
      }
      assertThat(acknowledged.size()).isGreaterThanOrEqualTo(30);
      first.kill(); // SIGKILL, mid-load
      first.awaitExit(Duration.ofSeconds(30));
      stop.set(true);
      load.join(30_000);
    } finally {
      first.kill();
    }

    GatewayProcess second = GatewayProcess.start(Map.of());
    try {
      ScimClient scim = new ScimClient(second.scimUrl(), tenant.token());
      for (Map.Entry<String, String> e : acknowledged.entrySet()) {
        ScimClient.Response r = scim.get("/Users/" + e.getKey());
        assertThat(r.status()).as("acknowledged user %s", e.getValue()).isEqualTo(200);
        assertThat(r.body().get("userName").asText()).isEqualTo(e.getValue());
      }
      int listed = scim.get("/Users?count=0").body().get("totalResults").asInt();
      assertThat(listed).isGreaterThanOrEqualTo(acknowledged.size());
      // no torn write: every stored user has exactly one creation event, and no event is orphaned
      var owner = TestDatabase.get().ownerUrl();
      try (var c = DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
          var q =
              c.prepareStatement(
                  "select (select count(*) from scim_users where tenant_id = ?),"
                      + " (select count(*) from provisioning_events where tenant_id = ?"
                      + "   and event_type = 'user.invited')")) {
        q.setObject(1, tenant.id());
        q.setObject(2, tenant.id());
        try (var rs = q.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).isEqualTo(listed);
          assertThat(rs.getLong(2)).isEqualTo(rs.getLong(1));
        }
      }
    } finally {
      second.kill();
      second.awaitExit(Duration.ofSeconds(30));
    }
  }
}
