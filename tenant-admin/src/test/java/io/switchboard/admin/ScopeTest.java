package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every operation in the served OpenAPI document, called without a key and with the wrong one. */
@DisplayName("Operator key scopes are enforced on every route of the OpenAPI document")
class ScopeTest {
  private static final Set<String> FLEET_ONLY =
      Set.of(
          "createOrg",
          "listAdminKeys",
          "createAdminKey",
          "revokeAdminKey",
          "listOperatorAudit",
          "fleetStatus",
          "getKeys",
          "rotateKeys");
  private static final Map<String, String> BODIES =
      Map.of(
          "createOrg", "{\"name\":\"x\"}",
          "updateOrg", "{\"name\":\"x\"}",
          "issueToken", "{}",
          "rotateToken", "{}",
          "createAdminKey", "{\"scope\":\"fleet\"}");

  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  record Call(String operationId, String method, String path) {}

  private List<Call> operations(String orgId) {
    JsonNode doc = new ScimClient(admin.url() + "/admin/v1", null).get("/openapi.json").body();
    List<Call> calls = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fields()
                    .forEachRemaining(
                        op -> {
                          if (op.getValue().has("operationId")) {
                            calls.add(
                                new Call(
                                    op.getValue().get("operationId").asText(),
                                    op.getKey().toUpperCase(java.util.Locale.ROOT),
                                    path.getKey()
                                        .replace("{orgId}", orgId)
                                        .replace("{tokenId}", "0".repeat(32))
                                        .replace("{keyId}", "0".repeat(32))));
                          }
                        }));
    assertThat(calls).hasSizeGreaterThanOrEqualTo(17);
    return calls;
  }

  private String org() {
    return fleet
        .post(
            "/orgs",
            "{\"name\":\"Scope\",\"slug\":\"sc-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}")
        .body()
        .get("id")
        .asText();
  }

  private static ScimClient.Response call(AdminHttp http, Call c) {
    String body = BODIES.get(c.operationId());
    return http.send(c.method(), c.path(), body, body == null ? null : "application/json");
  }

  @Test
  @DisplayName("without an operator key every route is 401 unauthorized")
  void noKey() {
    AdminHttp anonymous = new AdminHttp(admin.url(), null);
    for (Call c : operations(org())) {
      var r = call(anonymous, c);
      assertThat(r.status()).as(c.operationId()).isEqualTo(401);
      assertThat(r.body().at("/error/code").asText()).as(c.operationId()).isEqualTo("unauthorized");
    }
  }

  @Test
  @DisplayName("a key for one organisation gets 404 for another's routes and 403 for fleet routes")
  void otherOrganisation() {
    String mine = org();
    String theirs = org();
    var key = await(admin.keys().create("org:" + mine, "scope-test"));
    AdminHttp scoped = new AdminHttp(admin.url(), key.token());
    for (Call c : operations(theirs)) {
      var r = call(scoped, c);
      if (FLEET_ONLY.contains(c.operationId())) {
        assertThat(r.status()).as(c.operationId()).isEqualTo(403);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("forbidden");
      } else if (c.operationId().equals("listOrgs")) {
        assertThat(r.body().get("items").findValuesAsText("id")).containsExactly(mine);
      } else {
        assertThat(r.status()).as(c.operationId() + " " + r.raw()).isEqualTo(404);
      }
    }
    assertThat(fleet.get("/orgs/" + theirs).body().get("name").asText())
        .as("nothing changed")
        .isEqualTo("Scope");
    assertThat(fleet.get("/orgs/" + theirs).body().get("status").asText()).isEqualTo("active");
  }

  @Test
  @DisplayName(
      "creating an organisation with a Vault connection this gateway cannot reach is 503, nothing left behind")
  void vaultUnavailable() {
    String slug = "vt-" + UUID.randomUUID().toString().substring(0, 8);
    var r =
        fleet.post(
            "/orgs",
            "{\"name\":\"Vaulted\",\"slug\":\""
                + slug
                + "\",\"vault\":{\"address\":\"https://vault.acme.example\",\"mount\":\"secret\","
                + "\"path\":\"sb\",\"auth\":{\"method\":\"jwt\",\"role\":\"switchboard\"}}}");
    assertThat(r.status()).as(r.raw()).isEqualTo(503);
    assertThat(r.body().at("/error/code").asText()).isEqualTo("unavailable");
    assertThat(Owner.value("select count(*) from tenants where slug = ?", slug)).isEqualTo(0L);
  }
}
