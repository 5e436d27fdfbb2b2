package io.switchboard.feed;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook signature: header {@code Switchboard-Signature: t=<unix seconds>,v1=<hex>} where
 * {@code v1 = hex(HMAC-SHA256(secret, t + "." + body))}. Timestamped so a receiver can refuse
 * replays outside its window (default 5 minutes); {@code v1} names the scheme so it can change
 * without breaking receivers (several {@code v1=} values may appear while a secret rotates).
 *
 * <p>Usage: {@code String header = WebhookSignature.sign(secret, now, body);} and on the receiving
 * side {@code WebhookSignature.verify(secret, header, body, Instant.now(), DEFAULT_TOLERANCE)}.
 */
public final class WebhookSignature {
  public static final String HEADER = "Switchboard-Signature";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private WebhookSignature() {}

  public static String sign(String secret, Instant at, byte[] body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + hex(secret, t, body);
  }

  /** Whether {@code header} signs {@code body} with {@code secret} within {@code tolerance}. */
  public static boolean verify(
      String secret, String header, byte[] body, Instant now, Duration tolerance) {
    if (header == null) {
      return false;
    }
    Long t = null;
    java.util.List<String> candidates = new java.util.ArrayList<>();
    for (String part : header.split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      if (kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (kv[0].equals("v1")) {
        candidates.add(kv[1]);
      }
    }
    if (t == null || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hex(secret, t, body).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (String c : candidates) {
      ok |= MessageDigest.isEqual(expected, c.getBytes(StandardCharsets.US_ASCII));
    }
    return ok;
  }

  private static String hex(String secret, long t, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
