package io.switchboard.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The gateway's JWT signer for Vault's jwt auth, and the JWKS it publishes")
class GatewayJwtSignerTest {

  private static JsonObject part(String jwt, int i) {
    return new JsonObject(
        new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "an ES256 token names the tenant, issuer, audience and key, and expires within a minute")
  void es256Claims() {
    GatewayJwtSigner signer =
        GatewayJwtSigner.fromEnvironment(
            Map.of(
                "SWITCHBOARD_JWT_SIGNING_KEY", GatewayJwtSigner.generatePem().replace("\n", "\\n"),
                "SWITCHBOARD_JWT_ISSUER", "https://gw.example.com",
                "SWITCHBOARD_JWT_AUDIENCE", "vault.acme"));
    UUID tenant = UUID.randomUUID();
    String jwt = signer.sign(tenant);
    JsonObject header = part(jwt, 0);
    JsonObject claims = part(jwt, 1);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(header.getString("kid")).isEqualTo(signer.keyId());
    assertThat(claims.getString("sub")).isEqualTo(tenant.toString());
    assertThat(claims.getString("iss")).isEqualTo("https://gw.example.com");
    assertThat(claims.getString("aud")).isEqualTo("vault.acme");
    long now = Instant.now().getEpochSecond();
    assertThat(claims.getLong("exp")).isBetween(now + 30, now + 61);
    assertThat(signer.jwks().getJsonArray("keys").getJsonObject(0).getString("kid"))
        .isEqualTo(signer.keyId());
  }

  @Test
  @DisplayName(
      "a random seed (as Terraform generates) derives the same P-256 key on every instance, and"
          + " its tokens verify against the published JWK")
  void seed() throws Exception {
    String seed = "kq3P9vT2xW8mZr5LbN1cYh7dF4gJs6aEu0iOoQpRtSwVxByCzDe";
    GatewayJwtSigner one = GatewayJwtSigner.create(seed, null, "switchboard", "vault");
    GatewayJwtSigner two = GatewayJwtSigner.create(seed, null, "switchboard", "vault");
    GatewayJwtSigner other = GatewayJwtSigner.create(seed + "x", null, "switchboard", "vault");
    assertThat(one.keyId()).isEqualTo(two.keyId());
    assertThat(other.keyId()).isNotEqualTo(one.keyId());
    String jwt = two.sign(UUID.randomUUID());
    assertThat(part(jwt, 0).getString("alg")).isEqualTo("ES256");
    JsonObject jwk = one.jwks().getJsonArray("keys").getJsonObject(0);
    var params = java.security.AlgorithmParameters.getInstance("EC");
    params.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
    var key =
        KeyFactory.getInstance("EC")
            .generatePublic(
                new java.security.spec.ECPublicKeySpec(
                    new java.security.spec.ECPoint(
                        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("x"))),
                        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("y")))),
                    params.getParameterSpec(java.security.spec.ECParameterSpec.class)));
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initVerify(key);
    String[] parts = jwt.split("\\.");
    s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(s.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> GatewayJwtSigner.create("too-short-seed", null, "switchboard", "vault"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SWITCHBOARD_JWT_SIGNING_KEY");
  }

  @Test
  @DisplayName("an RSA key signs RS256 tokens that verify against the published JWK")
  void rs256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    GatewayJwtSigner signer = GatewayJwtSigner.create(pem, null, "switchboard", "vault");
    String jwt = signer.sign(UUID.randomUUID());
    assertThat(part(jwt, 0).getString("alg")).isEqualTo("RS256");
    JsonObject jwk = signer.jwks().getJsonArray("keys").getJsonObject(0);
    var key =
        KeyFactory.getInstance("RSA")
            .generatePublic(
                new RSAPublicKeySpec(
                    new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n"))),
                    new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")))));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(key);
    String[] parts = jwt.split("\\.");
    s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(s.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
  }

  @Test
  @DisplayName("previous keys stay published after a rotation, current key first")
  void rotation() {
    String old = GatewayJwtSigner.generatePem();
    GatewayJwtSigner before = GatewayJwtSigner.create(old, null, "i", "a");
    GatewayJwtSigner after = GatewayJwtSigner.create(GatewayJwtSigner.generatePem(), old, "i", "a");
    var keys = after.jwks().getJsonArray("keys");
    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.getJsonObject(0).getString("kid")).isEqualTo(after.keyId());
    assertThat(keys.getJsonObject(1).getString("kid")).isEqualTo(before.keyId());
    assertThat(keys.encode()).doesNotContain("\"d\"");
  }

  @Test
  @DisplayName("an unusable key is refused naming its variable; no key means an ephemeral one")
  void badKeys() {
    assertThatThrownBy(
            () ->
                GatewayJwtSigner.create(
                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", null, "i", "a"))
        .hasMessageContaining("SWITCHBOARD_JWT_SIGNING_KEY");
    assertThatThrownBy(() -> GatewayJwtSigner.create(null, "garbage", "i", "a"))
        .hasMessageContaining("SWITCHBOARD_JWT_PREVIOUS_KEYS");
    GatewayJwtSigner ephemeral = GatewayJwtSigner.fromEnvironment(Map.of());
    assertThat(ephemeral.issuer()).isEqualTo("switchboard");
    assertThat(ephemeral.audience()).isEqualTo("vault");
    assertThat(ephemeral.sign(UUID.randomUUID())).contains(".");
  }

  @Test
  @DisplayName("the gateway serves its JWKS at /.well-known/jwks.json without authentication")
  void servedByTheGateway() {
    TestGateway gateway = TestGateway.shared();
    ScimClient.Response r = new ScimClient(gateway.rootUrl(), null).get("/.well-known/jwks.json");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/jwk-set+json");
    assertThat(r.body().path("keys").get(0).path("kid").asText())
        .isEqualTo(gateway.switchboard().jwtSigner().keyId());
    assertThat(r.raw()).doesNotContain("\"d\"");
  }
}
