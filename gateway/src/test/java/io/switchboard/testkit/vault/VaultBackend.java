package io.switchboard.testkit.vault;

import io.switchboard.vault.GatewayJwtSigner;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * A Vault the store tests run against: the {@link VaultApiDouble} everywhere, and a real Vault in a
 * container where Docker exists ({@link RealVaultBackend}). Each provisions, for one tenant, a
 * policy granting exactly its session path and the credentials of one auth method.
 */
public interface VaultBackend extends AutoCloseable {

  String address();

  /** The KV v2 mount sessions go to. */
  default String mount() {
    return "secret";
  }

  /**
   * Provisions {@code method} (jwt, approle, token) for a tenant whose session lives at {@code
   * <mount>/<path>}, and returns the admin request body {@code VaultConnection.fromRequest} reads.
   */
  JsonObject provision(UUID tenantId, String path, String method, GatewayJwtSigner signer);

  /** Revokes every token issued by logins so far. */
  void revokeLoginTokens();

  /** Whether any version or metadata of the key is left. */
  boolean exists(String path);

  /** Writes raw data as a new version, as an administrator would. */
  void putRaw(String path, JsonObject data);

  @Override
  void close();
}
