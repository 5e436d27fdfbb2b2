package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin for the fleet: operator keys, fleet status, OpenAPI and metrics")
class FleetOpsTest {
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  private String newOrg() {
    var r =
        fleet.post(
            "/orgs",
            "{\"name\":\"Fleet\",\"slug\":\"fl-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}");
    assertThat(r.status()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  @Nested
  @DisplayName("operator keys")
  class Keys {
    @Test
    @DisplayName("a fleet key creates an org-scoped key (secret once), lists it, and revokes it")
    void lifecycle() {
      String org = newOrg();
      var created =
          fleet.post("/admin-keys", "{\"scope\":\"org:" + org + "\",\"label\":\"customer\"}");
      assertThat(created.status()).as(created.raw()).isEqualTo(201);
      String token = created.body().get("token").asText();
      String keyId = created.body().get("id").asText();
      assertThat(token).startsWith("sba_" + keyId + "_");

      AdminHttp scoped = new AdminHttp(admin.url(), token);
      assertThat(scoped.get("/orgs/" + org).status()).isEqualTo(200);
      assertThat(scoped.get("/admin-keys").status()).isEqualTo(403);
      assertThat(scoped.get("/fleet/status").status()).isEqualTo(403);
      assertThat(scoped.post("/admin-keys", "{\"scope\":\"fleet\"}").status()).isEqualTo(403);

      var list = fleet.get("/admin-keys");
      assertThat(list.status()).isEqualTo(200);
      assertThat(list.raw()).doesNotContain(token.substring(token.lastIndexOf('_') + 1));
      JsonNode listed = null;
      for (JsonNode k : list.body().get("items")) {
        if (k.get("id").asText().equals(keyId)) {
          listed = k;
        }
      }
      assertThat(listed).isNotNull();
      assertThat(listed.get("scope").asText()).isEqualTo("org:" + org);
      assertThat(listed.get("lastUsedAt").isNull()).as("used above").isFalse();

      assertThat(fleet.delete("/admin-keys/" + keyId).status()).isEqualTo(204);
      assertThat(scoped.get("/orgs/" + org).status()).isEqualTo(401);
      assertThat(fleet.delete("/admin-keys/" + keyId).status()).isEqualTo(404);
      assertThat(
              Owner.value(
                  "select count(*) from operator_audit where target = ?", "AdminKey/" + keyId))
          .isEqualTo(2L);
    }

    @Test
    @DisplayName("fleet-level actions are in the operator audit, newest first, for fleet keys only")
    void operatorAudit() {
      String org = newOrg();
      var created = fleet.post("/admin-keys", "{\"scope\":\"org:" + org + "\"}");
      String keyId = created.body().get("id").asText();
      fleet.delete("/admin-keys/" + keyId);
      var page = fleet.get("/audit?limit=2");
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body().get("items").findValuesAsText("action"))
          .containsExactly("admin.key.revoke", "admin.key.create");
      assertThat(page.body().at("/items/0/target").asText()).isEqualTo("AdminKey/" + keyId);
      assertThat(page.raw()).doesNotContain(created.body().get("token").asText());
      String next = page.body().get("nextCursor").asText();
      assertThat(fleet.get("/audit?limit=2&cursor=" + next).status()).isEqualTo(200);
      AdminHttp scoped =
          new AdminHttp(
              admin.url(),
              io.switchboard.testkit.TestGateway.await(admin.keys().create("org:" + org, "x"))
                  .token());
      assertThat(scoped.get("/audit").status()).isEqualTo(403);
    }

    @Test
    @DisplayName("bad scopes are 400; a key cannot revoke itself")
    void validation() {
      assertThat(fleet.post("/admin-keys", "{\"scope\":\"root\"}").status()).isEqualTo(400);
      assertThat(
              fleet
                  .post("/admin-keys", "{\"scope\":\"org:" + UUID.randomUUID() + "\"}")
                  .body()
                  .at("/error/code")
                  .asText())
          .isEqualTo("validation_failed");
      String self = admin.fleetToken().split("_")[1];
      assertThat(fleet.delete("/admin-keys/" + self).status()).isEqualTo(409);
    }
  }

  @Nested
  @DisplayName("fleet status")
  class Status {
    @Test
    @DisplayName(
        "per organisation: requests and errors over 5 minutes, last provisioning; attention list")
    void status() {
      String busy = newOrg();
      String quiet = newOrg();
      var activity = TestGateway.shared().switchboard().activity();
      UUID busyId = UUID.fromString(busy);
      for (int i = 0; i < 4; i++) {
        activity.record(busyId, 200, false);
      }
      activity.record(busyId, 201, true);
      for (int i = 0; i < 5; i++) {
        activity.record(busyId, 503, false);
      }
      assertThat(fleet.post("/orgs/" + quiet + "/suspend", null).status()).isEqualTo(200);

      var r = fleet.get("/fleet/status");
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      JsonNode body = r.body();
      assertThat(body.at("/orgsByStatus/suspended").asLong()).isGreaterThanOrEqualTo(1);
      assertThat(body.at("/orgsByStatus/active").asLong()).isGreaterThanOrEqualTo(1);
      JsonNode b = entry(body, busy);
      assertThat(b.get("requests").asLong()).isEqualTo(10);
      assertThat(b.get("errors").asLong()).isEqualTo(5);
      assertThat(b.get("lastProvisioningAt").isNull()).isFalse();
      assertThat(b.get("lastRequestAt").isNull()).isFalse();
      assertThat(b.get("attention").toString()).contains("errors");
      JsonNode q = entry(body, quiet);
      assertThat(q.get("requests").asLong()).isZero();
      assertThat(q.get("lastProvisioningAt").isNull()).isTrue();
      assertThat(body.get("needsAttention").toString()).contains(busy).contains(quiet);
      assertThat(
              Owner.value("select sum(requests) from tenant_activity where tenant_id = ?", busyId))
          .as("counts persisted for other instances")
          .isEqualTo(java.math.BigDecimal.valueOf(10));
    }

    private JsonNode entry(JsonNode body, String id) {
      for (JsonNode o : body.get("orgs")) {
        if (o.get("id").asText().equals(id)) {
          return o;
        }
      }
      throw new AssertionError("no " + id);
    }
  }

  @Nested
  @DisplayName("OpenAPI")
  class OpenApi {
    @Test
    @DisplayName("the document is served without a key and describes every route")
    void served() {
      var doc = new ScimClient(admin.url() + "/admin/v1", null).get("/openapi.json");
      assertThat(doc.status()).isEqualTo(200);
      assertThat(doc.header("Content-Type")).startsWith("application/json");
      assertThat(doc.body().get("openapi").asText()).startsWith("3.");
      assertThat(doc.body().get("paths").has("/orgs/{orgId}/tokens/{tokenId}/rotate")).isTrue();
      assertThat(doc.body().get("paths").has("/fleet/status")).isTrue();
    }

    @Test
    @DisplayName("requests that break the contract are 400 validation_failed, saying where")
    void validated() {
      var wrongType = fleet.post("/orgs", "{\"name\":42}");
      assertThat(wrongType.status()).isEqualTo(400);
      assertThat(wrongType.body().at("/error/code").asText()).isEqualTo("validation_failed");
      assertThat(wrongType.body().at("/error/message").asText()).contains("name");
      var wrongMedia = fleet.send("POST", "/orgs", "name=x", "application/x-www-form-urlencoded");
      assertThat(wrongMedia.status()).isEqualTo(415);
      assertThat(wrongMedia.body().at("/error/code").asText()).isEqualTo("unsupported_media_type");
      assertThat(fleet.get("/orgs?limit=500").status()).isEqualTo(400);
      assertThat(fleet.get("/nowhere").body().at("/error/code").asText()).isEqualTo("not_found");
    }
  }

  @Nested
  @DisplayName("metrics")
  class Metrics {
    @Test
    @DisplayName("/metrics counts requests by route template and status, never by organisation")
    void prometheus() {
      String org = newOrg();
      fleet.get("/orgs/" + org);
      fleet.get("/orgs/" + UUID.randomUUID());
      var scrape = new ScimClient(admin.url(), null).get("/metrics");
      assertThat(scrape.status()).isEqualTo(200);
      assertThat(scrape.raw())
          .contains("switchboard_admin_requests_seconds_count{")
          .contains("route=\"/admin/v1/orgs/{orgId}\"")
          .contains("status=\"404\"")
          .contains("switchboard_tenant_sessions_cached")
          .doesNotContain(org);
    }
  }
}
