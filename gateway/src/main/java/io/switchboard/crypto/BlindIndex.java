package io.switchboard.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed hashes of normalised attribute values, so the database can answer the {@code eq} lookups
 * IdPs make ({@code userName}, {@code externalId}, {@code emails.value}, group {@code displayName})
 * without holding the values. The attribute name is part of the hashed input, so equal values of
 * different attributes do not link.
 *
 * <p>Usage: {@code byte[] h = index.caseInsensitive("userName", "Bjensen@Example.com");}
 */
public final class BlindIndex {
  // keyed once; every hash works on a clone (cheaper than Mac.getInstance + init per hash)
  private final Mac keyed;

  public BlindIndex(byte[] indexKey) {
    try {
      this.keyed = Mac.getInstance("HmacSHA256");
      keyed.init(new SecretKeySpec(indexKey, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  /** For attributes whose values compare case-insensitively (caseExact false). */
  public byte[] caseInsensitive(String attribute, String value) {
    return hash(attribute, normalise(value).toLowerCase(Locale.ROOT));
  }

  /** For attributes whose values compare exactly (caseExact true), such as externalId. */
  public byte[] caseExact(String attribute, String value) {
    return hash(attribute, normalise(value));
  }

  private static String normalise(String value) {
    return Normalizer.normalize(value.strip(), Normalizer.Form.NFC);
  }

  private byte[] hash(String attribute, String normalised) {
    try {
      Mac mac = (Mac) keyed.clone();
      mac.update(attribute.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      return mac.doFinal(normalised.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HMAC-SHA256 cannot be cloned", e);
    }
  }
}
