package io.switchboard.admin;

import io.switchboard.crypto.MasterKey;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * An organisation's Vault connection as the admin API takes it, stores it ({@code tenants.vault})
 * and shows it. Secrets (an AppRole secret id, a Vault token) are sealed under the gateway's master
 * key before they reach the database and are never returned: the API says only whether one is set.
 *
 * <p>Stored form, read by the Vault session store:
 *
 * <pre>{@code
 * {"address": "https://vault.acme.example:8200", "namespace": "admin/acme",
 *  "mount": "secret", "path": "switchboard/scimsession", "caPem": "-----BEGIN CERTIFICATE-----...",
 *  "auth": {"method": "jwt", "role": "switchboard"}
 *        | {"method": "approle", "roleId": "...", "secretIdSealed": "<master-key sealed>"}
 *        | {"method": "token", "tokenSealed": "<master-key sealed>"}}
 * }</pre>
 *
 * Usage: {@code JsonObject stored = VaultConnectionSpec.seal(input, previous, masterKey, orgId)};
 * {@code VaultConnectionSpec.redact(stored)} for responses.
 */
public final class VaultConnectionSpec {
  public static final String SECRET_ID_PURPOSE = "vault-approle-secret-id";
  public static final String TOKEN_PURPOSE = "vault-token";

  private VaultConnectionSpec() {}

  /**
   * Validates {@code input} and returns the form to store, secrets sealed. A secret left out of an
   * update keeps the one already stored for the same method ({@code previous}, may be null).
   */
  public static JsonObject seal(
      JsonObject input, JsonObject previous, MasterKey masterKey, UUID orgId) {
    String address = required(input, "address");
    if (!address.startsWith("https://") && !address.startsWith("http://")) {
      throw AdminError.validation("vault.address must be an http(s) URL.");
    }
    if (address.startsWith("http://") && !isLoopback(address)) {
      throw AdminError.validation(
          "vault.address must use https (plain http only for a Vault on this machine).");
    }
    String caPem = input.getString("caPem");
    if (caPem != null && !caPem.strip().startsWith("-----BEGIN CERTIFICATE-----")) {
      throw AdminError.validation(
          "vault.caPem must be PEM certificates (-----BEGIN CERTIFICATE-----).");
    }
    JsonObject auth = input.getJsonObject("auth");
    if (auth == null) {
      throw AdminError.validation("vault.auth is required.");
    }
    JsonObject previousAuth =
        previous == null ? new JsonObject() : previous.getJsonObject("auth", new JsonObject());
    String method = auth.getString("method", "");
    JsonObject storedAuth = new JsonObject().put("method", method);
    switch (method) {
      case "jwt" -> storedAuth.put("role", requiredIn(auth, "role"));
      case "approle" -> {
        storedAuth.put("roleId", requiredIn(auth, "roleId"));
        String secretId = auth.getString("secretId");
        if (secretId != null && !secretId.isBlank()) {
          storedAuth.put("secretIdSealed", masterKey.seal(SECRET_ID_PURPOSE, orgId, secretId));
        } else if ("approle".equals(previousAuth.getString("method"))
            && previousAuth.getString("secretIdSealed") != null) {
          storedAuth.put("secretIdSealed", previousAuth.getString("secretIdSealed"));
        } else {
          throw AdminError.validation("vault.auth.secretId is required for approle.");
        }
      }
      case "token" -> {
        String token = auth.getString("token");
        if (token != null && !token.isBlank()) {
          storedAuth.put("tokenSealed", masterKey.seal(TOKEN_PURPOSE, orgId, token));
        } else if ("token".equals(previousAuth.getString("method"))
            && previousAuth.getString("tokenSealed") != null) {
          storedAuth.put("tokenSealed", previousAuth.getString("tokenSealed"));
        } else {
          throw AdminError.validation("vault.auth.token is required for the token method.");
        }
      }
      default -> throw AdminError.validation("vault.auth.method must be jwt, approle or token.");
    }
    JsonObject stored =
        new JsonObject()
            .put("address", address.replaceAll("/+$", ""))
            .put("mount", required(input, "mount").replaceAll("^/+|/+$", ""))
            .put("path", required(input, "path").replaceAll("^/+|/+$", ""))
            .put("auth", storedAuth);
    String namespace = input.getString("namespace");
    if (namespace != null && !namespace.isBlank()) {
      stored.put("namespace", namespace.strip());
    }
    if (caPem != null) {
      stored.put("caPem", caPem.strip());
    }
    return stored;
  }

  /** The stored form without secrets, for responses. Null in, null out. */
  public static JsonObject redact(JsonObject stored) {
    if (stored == null) {
      return null;
    }
    JsonObject out = stored.copy();
    JsonObject auth = out.getJsonObject("auth", new JsonObject());
    JsonObject shown = new JsonObject().put("method", auth.getString("method"));
    if (auth.containsKey("role")) {
      shown.put("role", auth.getString("role"));
    }
    if (auth.containsKey("roleId")) {
      shown.put("roleId", auth.getString("roleId"));
    }
    if ("approle".equals(auth.getString("method"))) {
      shown.put("secretIdSet", auth.getString("secretIdSealed") != null);
    }
    if ("token".equals(auth.getString("method"))) {
      shown.put("tokenSet", auth.getString("tokenSealed") != null);
    }
    out.put("auth", shown);
    return out;
  }

  private static boolean isLoopback(String address) {
    return address.startsWith("http://127.0.0.1")
        || address.startsWith("http://localhost")
        || address.startsWith("http://[::1]");
  }

  private static String required(JsonObject json, String name) {
    return requiredIn(json, name, "vault." + name);
  }

  private static String requiredIn(JsonObject auth, String name) {
    return requiredIn(auth, name, "vault.auth." + name);
  }

  private static String requiredIn(JsonObject json, String name, String path) {
    Object v = json.getValue(name);
    if (!(v instanceof String s) || s.isBlank()) {
      throw AdminError.validation(path + " is required.");
    }
    return s.strip();
  }
}
