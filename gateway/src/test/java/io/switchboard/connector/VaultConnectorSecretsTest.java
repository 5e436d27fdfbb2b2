package io.switchboard.connector;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.crypto.MasterKey;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.testkit.vault.VaultApiDouble;
import io.switchboard.vault.GatewayJwtSigner;
import io.switchboard.vault.VaultConnection;
import io.switchboard.vault.VaultOptions;
import io.switchboard.vault.VaultSessionStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName(
    "Connector credentials in the customer's Vault, beside the scimsession (Vault API double)")
class VaultConnectorSecretsTest {
  private final MasterKey master = MasterKey.parse(MasterKey.generateBase64());
  private final GatewayJwtSigner signer =
      GatewayJwtSigner.create(GatewayJwtSigner.generatePem(), null, "switchboard-test", "vault");
  private Vertx vertx;
  private VaultApiDouble vault;
  private VaultSessionStore sessions;
  private VaultConnectorSecrets secrets;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    vault = VaultApiDouble.start(vertx);
    vault.kvMount(VaultApiDouble.ROOT_NAMESPACE, "secret");
    sessions = VaultSessionStore.create(vertx, VaultOptions.defaults(), master, signer);
    secrets = new VaultConnectorSecrets(sessions);
  }

  @AfterAll
  void stop() {
    await(sessions.close());
    vault.close();
    await(vertx.close());
  }

  /** A tenant whose AppRole may use the given KV paths. */
  private TenantSessionRef tenant(boolean policyAllowsConnector) {
    UUID id = UUID.randomUUID();
    String slug = "t-" + id.toString().substring(0, 8);
    String path = VaultConnection.defaultPath(slug);
    String roleId = "role-" + UUID.randomUUID();
    String secretId = "secret-" + UUID.randomUUID();
    String session = "secret/" + path;
    String connector = "secret/switchboard/" + slug + "/connector";
    if (policyAllowsConnector) {
      vault.appRole(
          VaultApiDouble.ROOT_NAMESPACE,
          "approle",
          roleId,
          secretId,
          Duration.ofMinutes(5),
          session,
          connector);
    } else {
      vault.appRole(
          VaultApiDouble.ROOT_NAMESPACE,
          "approle",
          roleId,
          secretId,
          Duration.ofMinutes(5),
          session);
    }
    JsonObject request =
        new JsonObject()
            .put("address", vault.address())
            .put("mount", "secret")
            .put("path", path)
            .put(
                "auth",
                new JsonObject()
                    .put("method", "approle")
                    .put("roleId", roleId)
                    .put("secretId", secretId));
    VaultConnection c = VaultConnection.fromRequest(request, id, slug, master);
    return new TenantSessionRef(id, TenantSessionRef.VAULT, c.toJson());
  }

  @Test
  @DisplayName("writes to secret/switchboard/<slug>/connector, reads back, deletes every version")
  void roundTrip() {
    TenantSessionRef ref = tenant(true);
    String slug = "t-" + ref.tenantId().toString().substring(0, 8);
    String kvPath = "secret/switchboard/" + slug + "/connector";
    assertThat(await(secrets.read(ref))).isEmpty();

    JsonObject doc =
        new JsonObject().put("kind", "google-workspace").put("adminSubject", "a@example.com");
    await(secrets.write(ref, doc));

    assertThat(await(secrets.read(ref))).contains(doc);
    assertThat(
            vault
                .current(VaultApiDouble.ROOT_NAMESPACE, kvPath)
                .orElseThrow()
                .getString("connector"))
        .isEqualTo(doc.encode());
    await(secrets.delete(ref));
    assertThat(vault.exists(VaultApiDouble.ROOT_NAMESPACE, kvPath)).isFalse();
    assertThat(await(secrets.read(ref))).isEmpty();
  }

  @Test
  @DisplayName("a policy that covers only the session: secrets_unavailable, naming the path")
  void policyTooNarrow() {
    TenantSessionRef ref = tenant(false);
    assertThatThrownBy(
            () -> await(secrets.write(ref, new JsonObject().put("kind", "google-workspace"))))
        .isInstanceOfSatisfying(
            ConnectorException.class,
            e -> {
              assertThat(e.code()).isEqualTo("secrets_unavailable");
              assertThat(e.getMessage()).contains("/connector");
            });
  }
}
