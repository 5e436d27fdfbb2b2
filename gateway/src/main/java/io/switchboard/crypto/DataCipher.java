package io.switchboard.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for one tenant's data at rest. A ciphertext carries its key version, so rows stay
 * readable while an account-key rotation re-encrypts them, and its associated data binds it to
 * (tenant, kind, resource id, version): a row copied to another tenant or id, or an old version
 * replayed, fails to decrypt.
 *
 * <p>Layout: {@code 0x01 | keyVersion (int32) | nonce (12) | ciphertext+tag}.
 *
 * <p>Usage: {@code byte[] ct = cipher.encrypt(json, DataCipher.aad(tenant, "user", id, 3));}
 */
public final class DataCipher {
  private static final byte FORMAT = 0x01;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int HEADER = 1 + 4 + NONCE_BYTES;
  private static final SecureRandom RANDOM = new SecureRandom();
  // Cipher.getInstance is a provider lookup; one instance per thread, keyed anew per use
  private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(DataCipher::newGcm);

  private final Map<Integer, SecretKeySpec> keys;
  private final int currentVersion;

  /**
   * @param dataKeys derived data keys by account-key version
   * @param currentVersion the version new ciphertexts are written under
   */
  public DataCipher(Map<Integer, byte[]> dataKeys, int currentVersion) {
    if (!dataKeys.containsKey(currentVersion)) {
      throw new IllegalArgumentException("no key for the current version " + currentVersion);
    }
    var specs = new java.util.HashMap<Integer, SecretKeySpec>();
    dataKeys.forEach((v, k) -> specs.put(v, new SecretKeySpec(k, "AES")));
    this.keys = Map.copyOf(specs);
    this.currentVersion = currentVersion;
  }

  public int currentVersion() {
    return currentVersion;
  }

  /** Associated data binding a ciphertext to its place. */
  public static byte[] aad(UUID tenantId, String kind, UUID resourceId, long version) {
    return ("sb1|" + tenantId + "|" + kind + "|" + resourceId + "|" + version)
        .getBytes(StandardCharsets.UTF_8);
  }

  public byte[] encrypt(byte[] plaintext, byte[] aad) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad);
      byte[] out = new byte[HEADER + c.getOutputSize(plaintext.length)];
      ByteBuffer.wrap(out).put(FORMAT).putInt(currentVersion).put(nonce);
      c.doFinal(plaintext, 0, plaintext.length, out, HEADER);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** The key version a ciphertext was written under, without decrypting it. */
  public static int keyVersionOf(byte[] ciphertext) {
    if (ciphertext.length < HEADER || ciphertext[0] != FORMAT) {
      throw new CorruptCiphertextException("unknown ciphertext format");
    }
    return ByteBuffer.wrap(ciphertext, 1, 4).getInt();
  }

  public byte[] decrypt(byte[] ciphertext, byte[] aad) {
    int version = keyVersionOf(ciphertext);
    SecretKeySpec key = keys.get(version);
    if (key == null) {
      throw new UnknownKeyVersionException(version);
    }
    try {
      Cipher c = GCM.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, ciphertext, 5, NONCE_BYTES));
      c.updateAAD(aad);
      return c.doFinal(ciphertext, HEADER, ciphertext.length - HEADER);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new CorruptCiphertextException("ciphertext does not authenticate");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static Cipher newGcm() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** A ciphertext that is not ours, was moved, replayed or tampered with. */
  public static class CorruptCiphertextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptCiphertextException(String message) {
      super(message);
    }
  }

  /**
   * A ciphertext under a key version these keys do not hold: written under a key added since the
   * session was loaded (an account-key rotation began), or under one already dropped.
   */
  public static final class UnknownKeyVersionException extends CorruptCiphertextException {
    private static final long serialVersionUID = 1L;

    public UnknownKeyVersionException(int version) {
      super("no account key of version " + version);
    }
  }
}
