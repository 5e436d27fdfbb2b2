package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin API: organisations and tokens, operator keys and scopes")
class AdminApiTest {
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  @Test
  @DisplayName("a fleet key creates an organisation and issues a token that authenticates")
  void onboard() {
    String slug = "acme-" + UUID.randomUUID().toString().substring(0, 6);
    var org = fleet.post("/orgs", "{\"name\":\"Acme Corp\",\"slug\":\"" + slug + "\"}");
    assertThat(org.status()).isEqualTo(201);
    assertThat(org.body().get("slug").asText()).isEqualTo(slug);
    assertThat(org.body().get("status").asText()).isEqualTo("active");
    String orgId = org.body().get("id").asText();

    var token = fleet.post("/orgs/" + orgId + "/tokens", "{\"label\":\"entra\"}");
    assertThat(token.status()).isEqualTo(201);
    String secret = token.body().get("token").asText();
    assertThat(secret).startsWith("sbt_");
    var ctx = await(TestGateway.shared().switchboard().contexts().authenticate("Bearer " + secret));
    assertThat(ctx.tenantId().toString()).isEqualTo(orgId);

    assertThat(fleet.get("/orgs/" + orgId).body().get("name").asText()).isEqualTo("Acme Corp");
    assertThat(fleet.get("/orgs").body().get("items").findValuesAsText("id")).contains(orgId);
  }

  @Test
  @DisplayName("a revoked token stops authenticating at once")
  void revoke() {
    String orgId =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Revoke Test\",\"slug\":\"rv-"
                    + UUID.randomUUID().toString().substring(0, 6)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    var issued = fleet.post("/orgs/" + orgId + "/tokens", "{}").body();
    String secret = issued.get("token").asText();
    var contexts = TestGateway.shared().switchboard().contexts();
    await(contexts.authenticate("Bearer " + secret));
    assertThat(fleet.delete("/orgs/" + orgId + "/tokens/" + issued.get("id").asText()).status())
        .isEqualTo(204);
    // the revocation reaches this instance's caches through LISTEN/NOTIFY
    long deadline = System.currentTimeMillis() + 2_000;
    boolean rejected = false;
    while (!rejected && System.currentTimeMillis() < deadline) {
      try {
        await(contexts.authenticate("Bearer " + secret));
        Thread.sleep(20);
      } catch (io.switchboard.scim.ScimException e) {
        rejected = e.status() == 401;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(rejected).as("token rejected within 2 s of revocation").isTrue();
  }

  @Test
  @DisplayName("requests without a valid operator key are 401 with a stable error code")
  void unauthenticated() {
    var none = new ScimClient(admin.url() + "/admin/v1", null).get("/orgs");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.body().at("/error/code").asText()).isEqualTo("unauthorized");
    var forged =
        new ScimClient(
                admin.url() + "/admin/v1", admin.fleetToken().substring(0, 40) + "x".repeat(40))
            .get("/orgs");
    assertThat(forged.status()).isEqualTo(401);
    var idpToken = TestGateway.shared().newTenant().token();
    assertThat(new ScimClient(admin.url() + "/admin/v1", idpToken).get("/orgs").status())
        .as("an IdP bearer token is not an operator key")
        .isEqualTo(401);
  }

  @Test
  @DisplayName("an organisation-scoped key sees its organisation only, and cannot create others")
  void orgScope() {
    String mine =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Mine\",\"slug\":\"mine-"
                    + UUID.randomUUID().toString().substring(0, 6)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    String other =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Other\",\"slug\":\"other-"
                    + UUID.randomUUID().toString().substring(0, 6)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    var key = await(admin.keys().create("org:" + mine, "self-service"));
    AdminHttp scoped = new AdminHttp(admin.url(), key.token());
    assertThat(scoped.get("/orgs/" + mine).status()).isEqualTo(200);
    assertThat(scoped.get("/orgs/" + other).status()).isEqualTo(404);
    assertThat(scoped.post("/orgs/" + other + "/tokens", "{}").status()).isEqualTo(404);
    assertThat(scoped.post("/orgs", "{\"name\":\"Nope\"}").status()).isEqualTo(403);
    assertThat(scoped.get("/orgs").body().get("items").findValuesAsText("id"))
        .containsExactly(mine);
  }

  @Test
  @DisplayName("validation errors are 400 validation_failed; duplicate slugs are 409")
  void validation() {
    assertThat(fleet.post("/orgs", "{}").body().at("/error/code").asText())
        .isEqualTo("validation_failed");
    assertThat(fleet.post("/orgs", "{\"name\":\"x\",\"slug\":\"Bad Slug!\"}").status())
        .isEqualTo(400);
    assertThat(fleet.post("/orgs", "not json").status()).isEqualTo(400);
    String slug = "dup-" + UUID.randomUUID().toString().substring(0, 6);
    assertThat(fleet.post("/orgs", "{\"name\":\"a\",\"slug\":\"" + slug + "\"}").status())
        .isEqualTo(201);
    var dup = fleet.post("/orgs", "{\"name\":\"b\",\"slug\":\"" + slug + "\"}");
    assertThat(dup.status()).isEqualTo(409);
    assertThat(dup.body().at("/error/code").asText()).isEqualTo("conflict");
    assertThat(fleet.get("/orgs/not-a-uuid").status()).isEqualTo(404);
  }
}
