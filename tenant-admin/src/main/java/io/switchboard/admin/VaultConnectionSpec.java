package io.switchboard.admin;

import io.switchboard.crypto.MasterKey;
import io.switchboard.vault.InvalidVaultConnectionException;
import io.switchboard.vault.VaultConnection;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * The admin API's side of an organisation's Vault connection: the gateway's {@link VaultConnection}
 * validates and seals it (the one definition the Vault session store reads back), this adds what
 * only an API needs — an update may leave a secret out to keep the stored one, and a validation
 * failure becomes a {@code validation_failed} error naming the member.
 *
 * <p>Usage: {@code JsonObject stored = VaultConnectionSpec.seal(input, previous, master, orgId,
 * slug)}; {@code VaultConnectionSpec.redact(stored)} for responses.
 */
public final class VaultConnectionSpec {
  private VaultConnectionSpec() {}

  /**
   * Validates {@code input} and returns the form to store, secrets sealed. A secret left out of an
   * update keeps the one already stored for the same method ({@code previous}, may be null).
   */
  public static JsonObject seal(
      JsonObject input, JsonObject previous, MasterKey masterKey, UUID orgId, String slug) {
    JsonObject request = input.copy();
    JsonObject auth = request.getJsonObject("auth");
    if (auth != null && previous != null) {
      keepStoredSecret(auth, previous, masterKey, orgId);
    }
    try {
      return VaultConnection.fromRequest(request, orgId, slug, masterKey).toJson();
    } catch (InvalidVaultConnectionException e) {
      throw AdminError.validation("vault." + e.getMessage() + ".");
    }
  }

  private static void keepStoredSecret(
      JsonObject auth, JsonObject previous, MasterKey masterKey, UUID orgId) {
    VaultConnection stored;
    try {
      stored = VaultConnection.fromJson(previous);
    } catch (InvalidVaultConnectionException e) {
      return;
    }
    String method = auth.getString("method", "");
    if (method.equals("approle")
        && blank(auth.getString("secretId"))
        && stored.authMethod() == VaultConnection.AuthMethod.APPROLE
        && stored.sealedSecretId() != null) {
      auth.put("secretId", stored.secretId(masterKey, orgId));
    }
    if (method.equals("token")
        && blank(auth.getString("token"))
        && stored.authMethod() == VaultConnection.AuthMethod.TOKEN
        && stored.sealedToken() != null) {
      auth.put("token", stored.token(masterKey, orgId));
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The stored form without secrets, for responses. Null in, null out. */
  public static JsonObject redact(JsonObject stored) {
    if (stored == null) {
      return null;
    }
    try {
      return VaultConnection.fromJson(stored).toPublicJson();
    } catch (InvalidVaultConnectionException e) {
      return new JsonObject().put("invalid", true);
    }
  }
}
