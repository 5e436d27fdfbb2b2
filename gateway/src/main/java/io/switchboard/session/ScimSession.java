package io.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A tenant's {@code scimsession}: the secret half of its identity, kept in the customer's Vault (or
 * the local store in dev). It holds the account keys (32 random bytes per version; data and index
 * keys are derived from them) and one salted HMAC verifier per bearer token. Immutable: every
 * change returns a new session, written back with check-and-set.
 *
 * <p>The JSON form is documented in the README ("What sits in your Vault") and produced by {@link
 * SessionCodec}.
 */
public record ScimSession(
    int format,
    UUID tenantId,
    Instant createdAt,
    int currentKeyVersion,
    int indexKeyVersion,
    Map<Integer, AccountKey> accountKeys,
    Map<String, TokenVerifier> verifiers) {

  public static final int FORMAT = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  public ScimSession {
    accountKeys = Collections.unmodifiableMap(new TreeMap<>(accountKeys));
    verifiers = Collections.unmodifiableMap(new LinkedHashMap<>(verifiers));
    if (!accountKeys.containsKey(currentKeyVersion)) {
      throw new IllegalArgumentException("session has no account key " + currentKeyVersion);
    }
    if (!accountKeys.containsKey(indexKeyVersion)) {
      throw new IllegalArgumentException("session has no account key " + indexKeyVersion);
    }
  }

  /** One version of the account key. */
  public record AccountKey(int version, byte[] key, Instant createdAt) {
    public AccountKey {
      if (key.length != 32) {
        throw new IllegalArgumentException("account key must be 32 bytes");
      }
      key = key.clone();
    }

    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public String toString() {
      return "AccountKey[version=" + version + ", key=<redacted>]";
    }
  }

  /** HMAC-SHA256(salt, secret) of one bearer token, with the token's own expiry if any. */
  public record TokenVerifier(byte[] salt, byte[] hmac, Instant createdAt, Instant expiresAt) {
    public TokenVerifier {
      salt = salt.clone();
      hmac = hmac.clone();
    }

    public static TokenVerifier of(String secret, Instant createdAt, Instant expiresAt) {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      return new TokenVerifier(salt, mac(salt, secret), createdAt, expiresAt);
    }

    /** Constant-time in the secret's content. */
    public boolean accepts(String secret, Instant now) {
      boolean match = MessageDigest.isEqual(hmac, mac(salt, secret));
      return match && (expiresAt == null || now.isBefore(expiresAt));
    }

    private static byte[] mac(byte[] salt, String secret) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "TokenVerifier[createdAt=" + createdAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  /** A new session with one fresh account key and no tokens. */
  public static ScimSession create(UUID tenantId, Instant now) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new ScimSession(
        FORMAT, tenantId, now, 1, 1, Map.of(1, new AccountKey(1, key, now)), Map.of());
  }

  public AccountKey currentKey() {
    return accountKeys.get(currentKeyVersion);
  }

  public ScimSession withVerifier(String tokenId, TokenVerifier verifier) {
    Map<String, TokenVerifier> next = new LinkedHashMap<>(verifiers);
    next.put(tokenId, verifier);
    return new ScimSession(
        format, tenantId, createdAt, currentKeyVersion, indexKeyVersion, accountKeys, next);
  }

  public ScimSession withoutVerifier(String tokenId) {
    Map<String, TokenVerifier> next = new LinkedHashMap<>(verifiers);
    next.remove(tokenId);
    return new ScimSession(
        format, tenantId, createdAt, currentKeyVersion, indexKeyVersion, accountKeys, next);
  }

  /** Adds a new account key version and makes it current (old ones stay for decryption). */
  public ScimSession withNewAccountKey(Instant now) {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    int version = accountKeys.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    Map<Integer, AccountKey> next = new TreeMap<>(accountKeys);
    next.put(version, new AccountKey(version, key, now));
    return new ScimSession(format, tenantId, createdAt, version, indexKeyVersion, next, verifiers);
  }

  /** Drops account keys no ciphertext uses any more (never the current or index key). */
  public ScimSession withoutAccountKey(int version) {
    if (version == currentKeyVersion || version == indexKeyVersion) {
      throw new IllegalArgumentException("cannot drop the current or index key " + version);
    }
    Map<Integer, AccountKey> next = new TreeMap<>(accountKeys);
    next.remove(version);
    return new ScimSession(
        format, tenantId, createdAt, currentKeyVersion, indexKeyVersion, next, verifiers);
  }

  @Override
  public String toString() {
    return "ScimSession[tenant="
        + tenantId
        + ", keys="
        + accountKeys.keySet()
        + ", tokens="
        + verifiers.size()
        + "]";
  }
}
