package io.switchboard.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.crypto.MasterKey;
import io.switchboard.testkit.vault.TestCertificates;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A tenant's Vault connection: validated requests, sealed secrets, public view")
class VaultConnectionTest {
  private final MasterKey master = MasterKey.parse(MasterKey.generateBase64());
  private final UUID tenant = UUID.randomUUID();

  private static JsonObject approle() {
    return new JsonObject()
        .put("address", "https://vault.acme.example:8200/")
        .put("namespace", "/admin/acme/")
        .put(
            "auth",
            new JsonObject()
                .put("method", "approle")
                .put("roleId", "role-123")
                .put("secretId", "s3cret-value"));
  }

  private void assertInvalid(JsonObject body, String field) {
    assertThatThrownBy(() -> VaultConnection.fromRequest(body, tenant, "acme", master))
        .isInstanceOfSatisfying(
            InvalidVaultConnectionException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).doesNotContain("s3cret-value");
            });
  }

  @Test
  @DisplayName(
      "fills the defaults: mount 'secret', path switchboard/<slug>/scimsession, login mount")
  void defaults() {
    VaultConnection c = VaultConnection.fromRequest(approle(), tenant, "acme", master);
    assertThat(c.address()).isEqualTo("https://vault.acme.example:8200");
    assertThat(c.namespace()).isEqualTo("admin/acme");
    assertThat(c.mount()).isEqualTo("secret");
    assertThat(c.path()).isEqualTo("switchboard/acme/scimsession");
    assertThat(c.authMount()).isEqualTo("approle");
    assertThat(c.kvPath()).isEqualTo("secret/switchboard/acme/scimsession");
  }

  @Test
  @DisplayName(
      "the stored form seals the secret id; it round-trips and unseals for its tenant only")
  void sealedSecrets() {
    VaultConnection c = VaultConnection.fromRequest(approle(), tenant, "acme", master);
    JsonObject stored = c.toJson();
    assertThat(stored.encode()).doesNotContain("s3cret-value");
    VaultConnection back = VaultConnection.fromJson(stored);
    assertThat(back).isEqualTo(c);
    assertThat(back.secretId(master, tenant)).isEqualTo("s3cret-value");
    assertThatThrownBy(() -> back.secretId(master, UUID.randomUUID()))
        .as("bound to the tenant")
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  @DisplayName("the public view shows no secret, sealed or not")
  void publicView() {
    JsonObject token =
        new JsonObject()
            .put("address", "https://vault.example.com")
            .put("auth", new JsonObject().put("method", "token").put("token", "hvs.s3cret-value"));
    VaultConnection c = VaultConnection.fromRequest(token, tenant, "acme", master);
    JsonObject pub = c.toPublicJson();
    assertThat(pub.encode()).doesNotContain("s3cret-value").doesNotContain(c.sealedToken());
    assertThat(pub.getJsonObject("auth").getBoolean("tokenSet")).isTrue();
    assertThat(c.toString()).doesNotContain(c.sealedToken());
    assertThat(c.token(master, tenant)).isEqualTo("hvs.s3cret-value");
  }

  @Test
  @DisplayName("names the field at fault")
  void invalidFields() {
    assertInvalid(approle().put("address", null), "address");
    assertInvalid(approle().put("address", "vault.example.com"), "address");
    assertInvalid(approle().put("address", "ftp://vault.example.com"), "address");
    assertInvalid(approle().put("address", "https://vault.example.com/v1/secret"), "address");
    assertInvalid(approle().put("address", "https://user:pw@vault.example.com"), "address");
    assertInvalid(
        approle().put("address", "http://vault.example.com:8200"), "address"); // keys in clear
    assertInvalid(approle().put("path", "data/switchboard/acme"), "path");
    assertInvalid(approle().put("path", "switchboard/../other"), "path");
    assertInvalid(approle().put("mount", "se cret"), "mount");
    assertInvalid(approle().put("namespace", 42), "namespace");
    assertInvalid(approle().put("caPem", "not a certificate"), "caPem");
    assertInvalid(approle().put("auth", "approle"), "auth");
    assertInvalid(approle().put("auth", new JsonObject().put("method", "ldap")), "auth.method");
    JsonObject noSecret = approle();
    noSecret.getJsonObject("auth").remove("secretId");
    assertInvalid(noSecret, "auth.secretId");
    JsonObject noRoleId = approle();
    noRoleId.getJsonObject("auth").remove("roleId");
    assertInvalid(noRoleId, "auth.roleId");
    assertInvalid(approle().put("auth", new JsonObject().put("method", "jwt")), "auth.role");
    assertInvalid(
        approle().put("auth", new JsonObject().put("method", "jwt").put("role", "a b")),
        "auth.role");
    assertInvalid(approle().put("auth", new JsonObject().put("method", "token")), "auth.token");
  }

  @Test
  @DisplayName("accepts plain http on loopback only, and a readable CA certificate")
  void loopbackAndCa() {
    JsonObject jwt =
        new JsonObject()
            .put("address", "http://127.0.0.1:8200")
            .put("caPem", TestCertificates.selfSigned().certificatePem())
            .put("mount", "kv/team")
            .put("auth", new JsonObject().put("method", "jwt").put("role", "switchboard"));
    VaultConnection c = VaultConnection.fromRequest(jwt, tenant, "acme", master);
    assertThat(c.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(c.mountDepth()).isEqualTo(2);
    assertThat(c.toPublicJson().getBoolean("caPemSet")).isTrue();
    assertThat(c.toPublicJson().containsKey("caPem")).isFalse();
  }
}
