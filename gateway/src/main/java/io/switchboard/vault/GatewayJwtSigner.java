package io.switchboard.vault;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs the short-lived JWTs the gateway presents to a tenant's Vault {@code jwt} auth method
 * (ES256 for P-256 keys, RS256 for RSA keys): {@code iss} and {@code aud} from configuration,
 * {@code sub} = the tenant id, a {@code kid} that is the key's RFC 7638 thumbprint, and an expiry
 * of one minute. The customer's Vault verifies them against {@link #jwks()}, served at {@code
 * /.well-known/jwks.json} by {@link JwksHandler}; previous keys stay published so a rotation never
 * breaks logins in flight.
 *
 * <p>Usage: {@code GatewayJwtSigner.fromEnvironment(System.getenv()).sign(tenantId)}.
 */
public final class GatewayJwtSigner {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayJwtSigner.class);
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom RANDOM = new SecureRandom();

  public static final String SIGNING_KEY_ENV = "SWITCHBOARD_JWT_SIGNING_KEY";
  public static final String PREVIOUS_KEYS_ENV = "SWITCHBOARD_JWT_PREVIOUS_KEYS";
  public static final String ISSUER_ENV = "SWITCHBOARD_JWT_ISSUER";
  public static final String AUDIENCE_ENV = "SWITCHBOARD_JWT_AUDIENCE";
  public static final String DEFAULT_ISSUER = "switchboard";
  public static final String DEFAULT_AUDIENCE = "vault";
  public static final Duration LIFETIME = Duration.ofSeconds(60);

  private final PrivateKey signingKey;
  private final Jwk current;
  private final List<Jwk> previous;
  private final String issuer;
  private final String audience;
  private final Clock clock;

  /** One published key. */
  private record Jwk(String kid, String alg, JsonObject json) {}

  private GatewayJwtSigner(
      PrivateKey signingKey,
      PublicKey publicKey,
      List<PublicKey> previousKeys,
      String issuer,
      String audience,
      Clock clock) {
    this.signingKey = signingKey;
    this.current = jwk(publicKey);
    List<Jwk> prev = new ArrayList<>();
    for (PublicKey k : previousKeys) {
      Jwk j = jwk(k);
      if (!j.kid().equals(current.kid())) {
        prev.add(j);
      }
    }
    this.previous = List.copyOf(prev);
    this.issuer = issuer;
    this.audience = audience;
    this.clock = clock;
  }

  /**
   * Reads {@code SWITCHBOARD_JWT_SIGNING_KEY} (a PEM private key, EC P-256 or RSA ≥ 2048, literal
   * {@code \n} escapes accepted; or a random seed of at least 40 characters from which an EC P-256
   * key is derived), {@code SWITCHBOARD_JWT_PREVIOUS_KEYS} (PEM public keys, certificates or
   * private keys, concatenated), {@code SWITCHBOARD_JWT_ISSUER} and {@code
   * SWITCHBOARD_JWT_AUDIENCE}. Without a signing key it generates an ephemeral one and warns: JWT
   * logins then break at every restart, which is fine for {@code switchboard dev} only.
   *
   * @throws IllegalArgumentException naming the variable that cannot be used
   */
  public static GatewayJwtSigner fromEnvironment(Map<String, String> env) {
    return create(
        env.get(SIGNING_KEY_ENV),
        env.get(PREVIOUS_KEYS_ENV),
        blankToDefault(env.get(ISSUER_ENV), DEFAULT_ISSUER),
        blankToDefault(env.get(AUDIENCE_ENV), DEFAULT_AUDIENCE));
  }

  /** As {@link #fromEnvironment}, from the values themselves (null or blank PEMs are absent). */
  public static GatewayJwtSigner create(
      String signingKeyPem, String previousKeysPem, String issuer, String audience) {
    PrivateKey priv;
    PublicKey pub;
    if (signingKeyPem == null || signingKeyPem.isBlank()) {
      KeyPair pair = generateEc();
      priv = pair.getPrivate();
      pub = pair.getPublic();
      LOG.warn(
          "{} is not set: signing Vault JWT logins with an EPHEMERAL key. Vault must be"
              + " pointed at this instance's /.well-known/jwks.json, and logins break on restart."
              + " Set a key for production.",
          SIGNING_KEY_ENV);
    } else if (!signingKeyPem.contains("-----BEGIN")) {
      // a random seed (what Terraform generates into Secrets Manager without a key in state)
      KeyPair pair = fromSeed(signingKeyPem.trim());
      priv = pair.getPrivate();
      pub = pair.getPublic();
    } else {
      List<Object> objects = readPem(signingKeyPem, SIGNING_KEY_ENV);
      if (objects.size() != 1) {
        throw new IllegalArgumentException(SIGNING_KEY_ENV + " must hold exactly one private key");
      }
      KeyPair pair = keyPair(objects.get(0), SIGNING_KEY_ENV);
      priv = pair.getPrivate();
      pub = pair.getPublic();
    }
    List<PublicKey> previous = new ArrayList<>();
    if (previousKeysPem != null && !previousKeysPem.isBlank()) {
      for (Object o : readPem(previousKeysPem, PREVIOUS_KEYS_ENV)) {
        previous.add(publicKey(o, PREVIOUS_KEYS_ENV));
      }
    }
    return new GatewayJwtSigner(priv, pub, previous, issuer, audience, Clock.systemUTC());
  }

  /** A fresh EC P-256 key pair as PKCS#8 PEM (for tests and `switchboard dev` set-ups). */
  public static String generatePem() {
    KeyPair pair = generateEc();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  public String issuer() {
    return issuer;
  }

  public String audience() {
    return audience;
  }

  /** The {@code kid} of the current signing key. */
  public String keyId() {
    return current.kid();
  }

  /** The current public key as PEM: what a Vault without network access to us can pin. */
  public String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(publicOf(current).getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The JWK set: the current key first, then the previous ones. */
  public JsonObject jwks() {
    JsonArray keys = new JsonArray().add(current.json().copy());
    previous.forEach(k -> keys.add(k.json().copy()));
    return new JsonObject().put("keys", keys);
  }

  /** A compact JWS for the tenant's Vault login. */
  public String sign(UUID tenantId) {
    Instant now = clock.instant();
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", current.alg());
    header.put("typ", "JWT");
    header.put("kid", current.kid());
    JsonObject claims =
        new JsonObject()
            .put("iss", issuer)
            .put("aud", audience)
            .put("sub", tenantId.toString())
            .put("iat", now.getEpochSecond())
            .put("nbf", now.getEpochSecond() - 5)
            .put("exp", now.plus(LIFETIME).getEpochSecond())
            .put("jti", randomId());
    String signingInput = b64(new JsonObject(header).encode()) + "." + b64(claims.encode());
    try {
      Signature s =
          Signature.getInstance(
              "ES256".equals(current.alg()) ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
      s.initSign(signingKey);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64URL.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JWT signing failed", e);
    }
  }

  private static String b64(String json) {
    return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String randomId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return B64URL.encodeToString(b);
  }

  private static String blankToDefault(String v, String def) {
    return v == null || v.isBlank() ? def : v.trim();
  }

  private static KeyPair generateEc() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The least seed length accepted: a seed is a secret, not a password. */
  static final int MIN_SEED_CHARS = 40;

  /**
   * An EC P-256 key derived deterministically from a high-entropy seed (HKDF-SHA256, then reduced
   * into [1, n-1]), so every instance given the same seed signs with the same key and publishes the
   * same JWKS.
   */
  static KeyPair fromSeed(String seed) {
    if (seed.length() < MIN_SEED_CHARS) {
      throw new IllegalArgumentException(
          SIGNING_KEY_ENV
              + " must be a PEM private key or a random seed of at least "
              + MIN_SEED_CHARS
              + " characters");
    }
    byte[] okm = new byte[48];
    org.bouncycastle.crypto.generators.HKDFBytesGenerator hkdf =
        new org.bouncycastle.crypto.generators.HKDFBytesGenerator(
            new org.bouncycastle.crypto.digests.SHA256Digest());
    hkdf.init(
        new org.bouncycastle.crypto.params.HKDFParameters(
            seed.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "switchboard/jwt-signing-key".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "p256/v1".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    hkdf.generateBytes(okm, 0, okm.length);
    try {
      java.security.AlgorithmParameters ap = java.security.AlgorithmParameters.getInstance("EC");
      ap.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.spec.ECParameterSpec spec =
          ap.getParameterSpec(java.security.spec.ECParameterSpec.class);
      java.math.BigInteger n = spec.getOrder();
      java.math.BigInteger d =
          new java.math.BigInteger(1, okm)
              .mod(n.subtract(java.math.BigInteger.ONE))
              .add(java.math.BigInteger.ONE);
      PrivateKey priv =
          java.security.KeyFactory.getInstance("EC")
              .generatePrivate(new java.security.spec.ECPrivateKeySpec(d, spec));
      return new KeyPair(derivePublic(priv, SIGNING_KEY_ENV), priv);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Object> readPem(String pem, String variable) {
    String text = pem.replace("\\n", "\n").trim();
    List<Object> out = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(variable + " is not readable PEM", e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(variable + " holds no PEM key");
    }
    return out;
  }

  private static KeyPair keyPair(Object o, String variable) {
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    try {
      PrivateKey priv;
      if (o instanceof PEMKeyPair kp) {
        priv = conv.getKeyPair(kp).getPrivate();
      } else if (o instanceof PrivateKeyInfo info) {
        priv = conv.getPrivateKey(info);
      } else {
        throw new IllegalArgumentException(
            variable + " must be an unencrypted private key (PKCS#8, SEC1 or PKCS#1 PEM)");
      }
      return new KeyPair(derivePublic(priv, variable), priv);
    } catch (IOException e) {
      throw new IllegalArgumentException(variable + " is not a usable private key", e);
    }
  }

  private static PublicKey publicKey(Object o, String variable) {
    JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
    try {
      if (o instanceof SubjectPublicKeyInfo spki) {
        return checked(conv.getPublicKey(spki), variable);
      }
      if (o instanceof X509CertificateHolder cert) {
        return checked(conv.getPublicKey(cert.getSubjectPublicKeyInfo()), variable);
      }
      return keyPair(o, variable).getPublic();
    } catch (IOException e) {
      throw new IllegalArgumentException(variable + " holds an unusable key", e);
    }
  }

  private static PublicKey derivePublic(PrivateKey priv, String variable) {
    try {
      if (priv instanceof RSAPrivateCrtKey rsa) {
        return checked(
            java.security.KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())),
            variable);
      }
      if (priv instanceof ECPrivateKey ec) {
        var params = ec.getParams();
        if (params.getCurve().getField().getFieldSize() != 256) {
          throw new IllegalArgumentException(variable + " must be an EC P-256 or RSA key");
        }
        var bcParams = org.bouncycastle.jce.ECNamedCurveTable.getParameterSpec("secp256r1");
        var q = bcParams.getG().multiply(ec.getS()).normalize();
        var point =
            new java.security.spec.ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return java.security.KeyFactory.getInstance("EC")
            .generatePublic(new java.security.spec.ECPublicKeySpec(point, params));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(variable + " is not a usable key", e);
    }
    throw new IllegalArgumentException(variable + " must be an EC P-256 or RSA key");
  }

  private static PublicKey checked(PublicKey key, String variable) {
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
      return key;
    }
    if (key instanceof ECPublicKey ec
        && ec.getParams().getCurve().getField().getFieldSize() == 256) {
      return key;
    }
    throw new IllegalArgumentException(variable + " must be an EC P-256 or RSA (2048+) key");
  }

  private static Jwk jwk(PublicKey key) {
    JsonObject json;
    String alg;
    if (key instanceof ECPublicKey ec) {
      String x = B64URL.encodeToString(fixed(ec.getW().getAffineX(), 32));
      String y = B64URL.encodeToString(fixed(ec.getW().getAffineY(), 32));
      alg = "ES256";
      // RFC 7638 §3.2: required members only, in lexicographic order, no whitespace
      String canonical =
          "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
      String kid = thumbprint(canonical);
      json =
          new JsonObject()
              .put("kty", "EC")
              .put("crv", "P-256")
              .put("x", x)
              .put("y", y)
              .put("use", "sig")
              .put("alg", alg)
              .put("kid", kid);
      return new Jwk(kid, alg, json);
    }
    RSAPublicKey rsa = (RSAPublicKey) key;
    String n = B64URL.encodeToString(unsigned(rsa.getModulus()));
    String e = B64URL.encodeToString(unsigned(rsa.getPublicExponent()));
    alg = "RS256";
    String canonical = "{\"e\":\"" + e + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}";
    String kid = thumbprint(canonical);
    json =
        new JsonObject()
            .put("kty", "RSA")
            .put("n", n)
            .put("e", e)
            .put("use", "sig")
            .put("alg", alg)
            .put("kid", kid);
    return new Jwk(kid, alg, json);
  }

  private PublicKey publicOf(Jwk jwk) {
    try {
      if ("EC".equals(jwk.json().getString("kty"))) {
        var params = ((ECPrivateKey) signingKey).getParams();
        var point =
            new java.security.spec.ECPoint(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.json().getString("x"))),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.json().getString("y"))));
        return java.security.KeyFactory.getInstance("EC")
            .generatePublic(new java.security.spec.ECPublicKeySpec(point, params));
      }
      return java.security.KeyFactory.getInstance("RSA")
          .generatePublic(
              new RSAPublicKeySpec(
                  new BigInteger(1, Base64.getUrlDecoder().decode(jwk.json().getString("n"))),
                  new BigInteger(1, Base64.getUrlDecoder().decode(jwk.json().getString("e")))));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String thumbprint(String canonical) {
    try {
      return B64URL.encodeToString(
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] fixed(BigInteger v, int len) {
    byte[] u = unsigned(v);
    byte[] out = new byte[len];
    System.arraycopy(u, 0, out, len - u.length, u.length);
    return out;
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      byte[] t = new byte[b.length - 1];
      System.arraycopy(b, 1, t, 0, t.length);
      return t;
    }
    return b;
  }
}
