package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin API: account-key rotation")
class KeyRotationApiTest {
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  @Test
  @DisplayName(
      "POST keys/rotate answers 202, the rotation finishes in the background, and it is audited")
  void rotate() {
    String orgId =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Keys\",\"slug\":\"keys-"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    String token = fleet.post("/orgs/" + orgId + "/tokens", "{}").body().get("token").asText();
    ScimClient scim = TestGateway.shared().client(token);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      var r = scim.post("/Users", "{\"userName\":\"k" + i + "@keys.example\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      ids.add(r.body().get("id").asText());
    }

    var before = fleet.get("/orgs/" + orgId + "/keys");
    assertThat(before.status()).as(before.raw()).isEqualTo(200);
    assertThat(before.body().get("state").asText()).isEqualTo("idle");
    assertThat(before.body().get("currentVersion").asInt()).isEqualTo(1);
    assertThat(before.body().at("/rowsByTable/users/1").asLong()).isEqualTo(5);

    var started = fleet.post("/orgs/" + orgId + "/keys/rotate", null);
    assertThat(started.status()).as(started.raw()).isEqualTo(202);
    assertThat(started.body().get("currentVersion").asInt()).isEqualTo(2);
    assertThat(started.body().get("state").asText()).isEqualTo("running");

    // a write made now is under the new key at once
    var late = scim.post("/Users", "{\"userName\":\"late@keys.example\"}");
    assertThat(late.status()).isEqualTo(201);

    assertThat(
            Eventually.within(
                Duration.ofSeconds(60),
                () ->
                    "idle"
                        .equals(
                            fleet.get("/orgs/" + orgId + "/keys").body().get("state").asText())))
        .isTrue();
    var after = fleet.get("/orgs/" + orgId + "/keys").body();
    assertThat(after.get("rowsToReencrypt").asLong()).isZero();
    // every row is under version 2: the 6 users and each of their feed events (invited, confirmed)
    assertThat(after.at("/rowsByTable/users/2").asLong()).isEqualTo(6);
    assertThat(after.at("/rowsByVersion/2").asLong())
        .isEqualTo(6 + after.at("/rowsByTable/events/2").asLong())
        .isGreaterThanOrEqualTo(12);
    assertThat(after.at("/rowsByVersion/1").isMissingNode()).isTrue();
    assertThat(after.get("retainedForIndex").get(0).asInt()).isEqualTo(1);
    for (String id : ids) {
      assertThat(scim.get("/Users/" + id).status()).isEqualTo(200);
    }
    assertThat(
            fleet.get("/orgs/" + orgId + "/audit").body().get("items").findValuesAsText("action"))
        .contains("admin.keys.rotate");

    // organisation-scoped keys cannot rotate, not even their own organisation's key
    var key = await(admin.keys().create("org:" + orgId, "keys-test"));
    AdminHttp scoped = new AdminHttp(admin.url(), key.token());
    assertThat(scoped.post("/orgs/" + orgId + "/keys/rotate", null).status()).isEqualTo(403);
    assertThat(scoped.get("/orgs/" + orgId + "/keys").status()).isEqualTo(403);
    assertThat(fleet.get("/orgs/" + UUID.randomUUID() + "/keys").status()).isEqualTo(404);
  }
}
