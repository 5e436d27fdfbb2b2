package io.switchboard.testkit.vault;

import io.switchboard.vault.GatewayJwtSigner;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;

/** The store tests' backend on the in-process {@link VaultApiDouble}. */
public final class DoubleVaultBackend implements VaultBackend {
  private final VaultApiDouble vault;
  private final String namespace;
  private final Duration ttl;

  public DoubleVaultBackend(VaultApiDouble vault, String namespace, Duration ttl) {
    this.vault = vault;
    this.namespace = namespace;
    this.ttl = ttl;
    vault.kvMount(namespace, mount());
  }

  public static DoubleVaultBackend start(Vertx vertx) {
    return new DoubleVaultBackend(
        VaultApiDouble.start(vertx), VaultApiDouble.ROOT_NAMESPACE, Duration.ofMinutes(5));
  }

  public VaultApiDouble vault() {
    return vault;
  }

  @Override
  public String address() {
    return vault.address();
  }

  @Override
  public JsonObject provision(UUID tenantId, String path, String method, GatewayJwtSigner signer) {
    String kvPath = mount() + "/" + path;
    JsonObject auth = new JsonObject().put("method", method);
    switch (method) {
      case "jwt" -> {
        String role = "sb-" + tenantId;
        vault.jwtRole(
            namespace,
            "jwt",
            role,
            signer.jwks(),
            signer.audience(),
            tenantId.toString(),
            ttl,
            kvPath);
        auth.put("role", role);
      }
      case "approle" -> {
        String roleId = "role-" + UUID.randomUUID();
        String secretId = "secret-" + UUID.randomUUID();
        vault.appRole(namespace, "approle", roleId, secretId, ttl, kvPath);
        auth.put("roleId", roleId).put("secretId", secretId);
      }
      case "token" -> auth.put("token", vault.issueToken(namespace, ttl, kvPath));
      default -> throw new IllegalArgumentException(method);
    }
    JsonObject body =
        new JsonObject()
            .put("address", vault.address())
            .put("mount", mount())
            .put("path", path)
            .put("auth", auth);
    if (!namespace.isEmpty()) {
      body.put("namespace", namespace);
    }
    if (vault.caPem() != null) {
      body.put("caPem", vault.caPem());
    }
    return body;
  }

  @Override
  public void revokeLoginTokens() {
    vault.revokeAllTokens();
  }

  @Override
  public boolean exists(String path) {
    return vault.exists(namespace, mount() + "/" + path);
  }

  @Override
  public void putRaw(String path, JsonObject data) {
    vault.putRaw(namespace, mount() + "/" + path, data);
  }

  @Override
  public void close() {
    vault.close();
  }
}
