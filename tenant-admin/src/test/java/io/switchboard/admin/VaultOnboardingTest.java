package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.vault.VaultApiDouble;
import io.switchboard.vault.GatewayJwtSigner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Onboarding an organisation whose scimsession lives in its own Vault (the Vault API double, driven
 * through the real driver), as an operator does it through tenant-admin: the session is written
 * there, the token works at the gateway, and "test connection" says what is wrong.
 */
@DisplayName("Onboarding an organisation onto its own Vault through tenant-admin")
class VaultOnboardingTest {
  private static Vertx vaultVertx;
  private static VaultApiDouble vault;
  private final TestGateway gateway = TestGateway.shared();
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());

  @BeforeAll
  static void startVault() {
    vaultVertx = Vertx.vertx();
    vault = VaultApiDouble.start(vaultVertx);
  }

  @AfterAll
  static void stopVault() {
    vault.close();
    await(vaultVertx.close());
  }

  private String onboard(String slug) {
    GatewayJwtSigner signer = gateway.switchboard().jwtSigner();
    // what the customer's terraform/modules/tenant-vault sets up: a JWT role for this tenant
    vault.jwtRole(
        VaultApiDouble.ROOT_NAMESPACE,
        "jwt",
        "switchboard-" + slug,
        signer.jwks(),
        signer.audience(),
        null,
        Duration.ofMinutes(5),
        "secret/switchboard/" + slug + "/scimsession");
    ScimClient.Response created =
        fleet.post(
            "/orgs",
            new JsonObject()
                .put("name", "Vault " + slug)
                .put("slug", slug)
                .put("idpProfile", "entra")
                .put(
                    "vault",
                    new JsonObject()
                        .put("address", vault.address())
                        .put("mount", "secret")
                        .put("path", "switchboard/" + slug + "/scimsession")
                        .put(
                            "auth",
                            new JsonObject()
                                .put("method", "jwt")
                                .put("role", "switchboard-" + slug)))
                .encode());
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    assertThat(created.body().get("sessionStore").asText()).isEqualTo("vault");
    return created.body().get("id").asText();
  }

  @Test
  @DisplayName(
      "the session is written into the customer's Vault, the token provisions users, and the"
          + " test says ok")
  void onboard() {
    String slug = "vo-" + UUID.randomUUID().toString().substring(0, 8);
    String id = onboard(slug);
    JsonObject stored =
        vault
            .current(VaultApiDouble.ROOT_NAMESPACE, "secret/switchboard/" + slug + "/scimsession")
            .orElseThrow();
    assertThat(stored.getString("scimsession")).contains(id);

    ScimClient.Response issued = fleet.post("/orgs/" + id + "/tokens", "{\"label\":\"entra\"}");
    assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
    String token = issued.body().get("token").asText();
    ScimClient scim = gateway.client(token);
    ScimClient.Response user =
        scim.post("/Users", "{\"userName\":\"vault.user@example.com\",\"active\":true}");
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    assertThat(scim.get("/Users").body().get("totalResults").asInt()).isEqualTo(1);

    ScimClient.Response test = fleet.post("/orgs/" + id + "/vault/test", null);
    assertThat(test.status()).as(test.toString()).isEqualTo(200);
    assertThat(test.body().get("ok").asBoolean()).isTrue();
    assertThat(test.body().get("step").asText()).isEqualTo("ok");

    JsonNode shown = fleet.get("/orgs/" + id).body().get("vault");
    assertThat(shown.get("address").asText()).isEqualTo(vault.address());
    assertThat(shown.toString()).doesNotContain("Sealed");
  }

  @Test
  @DisplayName(
      "test connection names the failed step: a sealed Vault, then something that is not a session")
  void diagnoses() {
    String slug = "vd-" + UUID.randomUUID().toString().substring(0, 8);
    String id = onboard(slug);
    vault.sealed(true);
    try {
      JsonNode sealed = fleet.post("/orgs/" + id + "/vault/test", null).body();
      assertThat(sealed.get("ok").asBoolean()).isFalse();
      assertThat(sealed.get("step").asText()).isEqualTo("server-error");
    } finally {
      vault.sealed(false);
    }
    vault.putRaw(
        VaultApiDouble.ROOT_NAMESPACE,
        "secret/switchboard/" + slug + "/scimsession",
        new JsonObject().put("scimsession", "not a session"));
    JsonNode garbage = fleet.post("/orgs/" + id + "/vault/test", null).body();
    assertThat(garbage.get("step").asText()).isEqualTo("invalid-session");
  }

  @Test
  @DisplayName("an organisation on the local store has no Vault to test: 409")
  void localStore() {
    ScimClient.Response created =
        fleet.post(
            "/orgs",
            "{\"name\":\"Local\",\"slug\":\"lo-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}");
    String id = created.body().get("id").asText();
    ScimClient.Response test = fleet.post("/orgs/" + id + "/vault/test", null);
    assertThat(test.status()).isEqualTo(409);
    assertThat(test.body().at("/error/code").asText()).isEqualTo("conflict");
  }
}
