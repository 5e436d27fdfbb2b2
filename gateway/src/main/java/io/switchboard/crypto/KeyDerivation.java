package io.switchboard.crypto;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * HKDF-SHA256 (RFC 5869, Bouncy Castle) from a tenant's 32-byte account key to the keys the gateway
 * uses. The salt binds every derived key to the tenant id, so the same account key pasted into two
 * tenants still yields unrelated keys.
 *
 * <p>Usage: {@code byte[] k = KeyDerivation.derive(accountKey, tenantId, KeyDerivation.DATA_KEY);}
 */
public final class KeyDerivation {
  /** AES-256-GCM key for resources and feed payloads. */
  public static final String DATA_KEY = "switchboard/data-key/v1";

  /** HMAC-SHA256 key for blind indexes. */
  public static final String INDEX_KEY = "switchboard/index-key/v1";

  private KeyDerivation() {}

  /** 32 bytes from a high-entropy operator secret given as text (not a password hash). */
  public static byte[] fromPassphrase(String secret, String purpose) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(
        new HKDFParameters(
            secret.getBytes(StandardCharsets.UTF_8),
            "switchboard/operator-secret".getBytes(StandardCharsets.UTF_8),
            purpose.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }

  public static byte[] derive(byte[] accountKey, UUID tenantId, String purpose) {
    if (accountKey.length != 32) {
      throw new IllegalArgumentException("account key must be 32 bytes");
    }
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
    hkdf.init(
        new HKDFParameters(
            accountKey,
            ("switchboard/tenant/" + tenantId).getBytes(StandardCharsets.UTF_8),
            purpose.getBytes(StandardCharsets.UTF_8)));
    byte[] out = new byte[32];
    hkdf.generateBytes(out, 0, out.length);
    return out;
  }
}
