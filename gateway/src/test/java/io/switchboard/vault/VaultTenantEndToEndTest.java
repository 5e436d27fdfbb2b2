package io.switchboard.vault;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.scim.ScimException;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.tenant.TenantContexts;
import io.switchboard.tenant.TenantProvisioning;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.vault.VaultApiDouble;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A tenant whose scimsession lives in its Vault (here the API double), driven through the real
 * gateway runtime: provisioning writes the session there, and bearer tokens are verified against
 * it.
 */
@DisplayName("A Vault tenant end to end: provisioned, authorised and shut out by its Vault")
class VaultTenantEndToEndTest {
  private static Vertx vaultVertx;
  private static VaultApiDouble vault;
  private final TestGateway gateway = TestGateway.shared();
  private final TenantContexts contexts = gateway.switchboard().contexts();
  private final TenantProvisioning provisioning = gateway.switchboard().provisioning();

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

  private UUID vaultTenant(String slug) {
    GatewayJwtSigner signer = gateway.switchboard().jwtSigner();
    String path = VaultConnection.defaultPath(slug);
    vault.jwtRole(
        VaultApiDouble.ROOT_NAMESPACE,
        "jwt",
        "switchboard-" + slug,
        signer.jwks(),
        signer.audience(),
        null,
        Duration.ofMinutes(5),
        "secret/" + path);
    JsonObject request =
        new JsonObject()
            .put("address", vault.address())
            .put("auth", new JsonObject().put("method", "jwt").put("role", "switchboard-" + slug));
    // a jwt connection holds no sealed secret, so it does not depend on the tenant id yet
    VaultConnection connection =
        VaultConnection.fromRequest(
            request, UUID.randomUUID(), slug, gateway.switchboard().masterKey());
    return await(
            provisioning.createTenant(
                new TenantProvisioning.NewTenant(
                    slug,
                    "Vault " + slug,
                    null,
                    TenantSessionRef.VAULT,
                    connection.toJson(),
                    null)))
        .id();
  }

  @Test
  @DisplayName("a tenant whose session is in Vault gets its bearer token authorised")
  void authorised() {
    String slug = "v-" + UUID.randomUUID().toString().substring(0, 8);
    UUID id = vaultTenant(slug);
    var token = await(provisioning.issueToken(id, "entra", null));
    JsonObject stored =
        vault
            .current(VaultApiDouble.ROOT_NAMESPACE, "secret/switchboard/" + slug + "/scimsession")
            .orElseThrow();
    assertThat(stored.getString("scimsession")).contains(id.toString()).contains(token.tokenId());
    contexts.invalidateSession(id);
    assertThat(await(contexts.authenticate("Bearer " + token.token())).tenantId()).isEqualTo(id);
  }

  @Test
  @DisplayName("a cold tenant whose Vault is sealed gets 503 with Retry-After, and recovers")
  void vaultDown() {
    String slug = "v-" + UUID.randomUUID().toString().substring(0, 8);
    UUID id = vaultTenant(slug);
    var token = await(provisioning.issueToken(id, "okta", null));
    contexts.invalidateSession(id);
    vault.sealed(true);
    try {
      assertThatThrownBy(() -> await(contexts.authenticate("Bearer " + token.token())))
          .isInstanceOfSatisfying(
              ScimException.class,
              e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.retryAfter()).isNotNull();
              });
    } finally {
      vault.sealed(false);
    }
    contexts.invalidateSession(id);
    assertThat(await(contexts.authenticate("Bearer " + token.token())).tenantId()).isEqualTo(id);
  }
}
