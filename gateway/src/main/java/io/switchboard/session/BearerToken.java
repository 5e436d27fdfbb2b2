package io.switchboard.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A bearer credential: {@code <prefix>_<tokenId>_<secret>}, a 128-bit token id in hex and a 256-bit
 * secret in unpadded base64url. The token id is an identifier (it appears in logs and the
 * tenant-admin API); the secret is never stored or logged anywhere.
 *
 * <p>IdP tokens use the prefix {@code sbt}, operator API keys {@code sba}. Usage: {@code
 * BearerToken.parse("sbt", header).ifPresent(t -> ...)}; {@code BearerToken.generate("sbt")}.
 */
public record BearerToken(String prefix, String tokenId, String secret) {
  public static final String IDP_PREFIX = "sbt";
  public static final String ADMIN_PREFIX = "sba";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Pattern TOKEN_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** The longest string {@link #parse} will look at; anything longer is malformed. */
  public static final int MAX_LENGTH = 120;

  public static BearerToken generate(String prefix) {
    byte[] id = new byte[16];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    return new BearerToken(
        prefix,
        HexFormat.of().formatHex(id),
        Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
  }

  /** Parses a token of the given prefix; empty for anything not of exactly that shape. */
  public static Optional<BearerToken> parse(String prefix, String token) {
    if (token == null || token.length() > MAX_LENGTH || !token.startsWith(prefix + "_")) {
      return Optional.empty();
    }
    int idStart = prefix.length() + 1;
    int idEnd = idStart + 32;
    if (token.length() != idEnd + 1 + 43 || token.charAt(idEnd) != '_') {
      return Optional.empty();
    }
    String id = token.substring(idStart, idEnd);
    String secret = token.substring(idEnd + 1);
    if (!TOKEN_ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
      return Optional.empty();
    }
    return Optional.of(new BearerToken(prefix, id, secret));
  }

  /** The full token, to hand to its holder exactly once. */
  public String reveal() {
    return prefix + "_" + tokenId + "_" + secret;
  }

  /** SHA-256 of the secret: what the database keeps. The secret has 256 bits of entropy. */
  public byte[] secretHash() {
    return sha256(secret);
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return prefix + "_" + tokenId + "_<redacted>";
  }
}
