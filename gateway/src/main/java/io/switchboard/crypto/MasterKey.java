package io.switchboard.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway's own key (SWITCHBOARD_MASTER_KEY, 32 bytes, base64). It encrypts the few
 * operator-held secrets that must sit in the database, such as a tenant's Vault AppRole secret id,
 * so a database dump never shows them. It never touches directory data: that is under each tenant's
 * keys.
 *
 * <p>Usage: {@code String sealed = master.seal("approle-secret-id", tenantId, secret);}
 */
public final class MasterKey {
  private static final UUID GATEWAY = new UUID(0, 0);
  private final DataCipher cipher;

  private MasterKey(byte[] key) {
    this.cipher = new DataCipher(Map.of(1, key), 1);
  }

  /**
   * Parses SWITCHBOARD_MASTER_KEY: either base64 of exactly 32 bytes, or a random string of at
   * least 40 characters (such as one Secrets Manager generates), from which the key is derived with
   * HKDF-SHA256.
   */
  public static MasterKey parse(String value) {
    String v = value == null ? "" : value.trim();
    try {
      byte[] key = Base64.getDecoder().decode(v);
      if (key.length == 32) {
        return new MasterKey(key);
      }
    } catch (IllegalArgumentException notBase64) {
      // fall through to the passphrase form
    }
    if (v.length() < 40) {
      throw new IllegalArgumentException(
          "SWITCHBOARD_MASTER_KEY must be base64 of 32 bytes or a random string of at least 40"
              + " characters");
    }
    return new MasterKey(KeyDerivation.fromPassphrase(v, "switchboard/master-key/v1"));
  }

  /** A fresh random key, base64-encoded (for `switchboard dev` and tests). */
  public static String generateBase64() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Encrypts {@code secret}, bound to its purpose and tenant; returns base64. */
  public String seal(String purpose, UUID tenantId, String secret) {
    byte[] ct = cipher.encrypt(secret.getBytes(StandardCharsets.UTF_8), aad(purpose, tenantId));
    return Base64.getEncoder().encodeToString(ct);
  }

  public String unseal(String purpose, UUID tenantId, String sealed) {
    byte[] pt = cipher.decrypt(Base64.getDecoder().decode(sealed), aad(purpose, tenantId));
    return new String(pt, StandardCharsets.UTF_8);
  }

  private static byte[] aad(String purpose, UUID tenantId) {
    return DataCipher.aad(tenantId, "master:" + purpose, GATEWAY, 0);
  }
}
