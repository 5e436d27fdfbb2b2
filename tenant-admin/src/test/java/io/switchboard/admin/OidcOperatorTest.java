package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Operators signing in with JWTs from an OIDC issuer. The issuer is played by a key pair made here
 * and a JWKS endpoint served on loopback; tenant-admin is configured with its issuer, audience and
 * JWKS URL like any deployment.
 */
@DisplayName("Operators authenticate with JWTs from the configured OIDC issuer")
class OidcOperatorTest {
  private static final String ISSUER = "https://login.msp.example/";
  private static final String AUDIENCE = "switchboard-admin";
  private static Vertx vertx;
  private static HttpServer jwksServer;
  private static AdminServer server;
  private static JWTAuth issuer;
  private static JWTAuth stranger;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPair keys = rsa();
    issuer = signer(keys, "k1");
    stranger = signer(rsa(), "k1");
    RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
    JsonObject jwk =
        new JsonObject()
            .put("kty", "RSA")
            .put("kid", "k1")
            .put("alg", "RS256")
            .put("use", "sig")
            .put("n", b64(pub.getModulus()))
            .put("e", b64(pub.getPublicExponent()));
    String jwks = new JsonObject().put("keys", new JsonArray().add(jwk)).encode();
    jwksServer =
        await(
            vertx
                .createHttpServer()
                .requestHandler(
                    req -> req.response().putHeader("Content-Type", "application/json").end(jwks))
                .listen(0, "127.0.0.1"));
    TestGateway gw = TestGateway.shared();
    server =
        await(
            AdminServer.start(
                gw.switchboard(),
                new AdminConfig(0, Optional.empty(), gw.baseUrl())
                    .withOidc(
                        new AdminConfig.Oidc(
                            ISSUER,
                            AUDIENCE,
                            "http://127.0.0.1:" + jwksServer.actualPort() + "/jwks",
                            "switchboard_scope"))));
  }

  @AfterAll
  static void stop() {
    await(gatewayVertx().undeploy(server.deploymentID()));
    await(jwksServer.close());
    await(vertx.close());
  }

  private static Vertx gatewayVertx() {
    return TestGateway.shared().vertx();
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  private static JWTAuth signer(KeyPair keys, String kid) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("RS256").setBuffer(pem).setId(kid)));
  }

  private static String b64(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String jwt(JWTAuth by, String scope, String iss, String aud, int expiresIn) {
    JsonObject claims =
        new JsonObject()
            .put("sub", "operator-7")
            .put("exp", System.currentTimeMillis() / 1000 + expiresIn);
    if (scope != null) {
      claims.put("switchboard_scope", scope);
    }
    return by.generateToken(
        claims, new JWTOptions().setAlgorithm("RS256").setIssuer(iss).setAudience(List.of(aud)));
  }

  private AdminHttp as(String token) {
    return new AdminHttp("http://127.0.0.1:" + server.port(), token);
  }

  @Test
  @DisplayName("a fleet-scoped JWT creates an organisation; the audit names the OIDC subject")
  void fleetScope() {
    AdminHttp operator = as(jwt(issuer, "fleet", ISSUER, AUDIENCE, 300));
    var org =
        operator.post(
            "/orgs",
            "{\"name\":\"Via OIDC\",\"slug\":\"oidc-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "\"}");
    assertThat(org.status()).as(org.raw()).isEqualTo(201);
    String id = org.body().get("id").asText();
    var audit = operator.get("/orgs/" + id + "/audit");
    assertThat(audit.body().at("/items/0/actor").asText()).isEqualTo("admin:oidc:operator-7");
  }

  @Test
  @DisplayName("an org-scoped JWT reaches its organisation only")
  void orgScope() {
    AdminHttp fleet = as(jwt(issuer, "fleet", ISSUER, AUDIENCE, 300));
    String mine =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Mine\",\"slug\":\"om-"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    String other =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Other\",\"slug\":\"oo-"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "\"}")
            .body()
            .get("id")
            .asText();
    AdminHttp customer = as(jwt(issuer, "org:" + mine, ISSUER, AUDIENCE, 300));
    assertThat(customer.get("/orgs/" + mine).status()).isEqualTo(200);
    assertThat(customer.get("/orgs/" + other).status()).isEqualTo(404);
    assertThat(customer.get("/fleet/status").status()).isEqualTo(403);
  }

  @Test
  @DisplayName("wrong issuer, audience, signer, an expired token or no scope claim: 401")
  void rejected() {
    assertThat(
            as(jwt(issuer, "fleet", "https://evil.example/", AUDIENCE, 300)).get("/orgs").status())
        .isEqualTo(401);
    assertThat(as(jwt(issuer, "fleet", ISSUER, "someone-else", 300)).get("/orgs").status())
        .isEqualTo(401);
    assertThat(as(jwt(stranger, "fleet", ISSUER, AUDIENCE, 300)).get("/orgs").status())
        .isEqualTo(401);
    assertThat(as(jwt(issuer, "fleet", ISSUER, AUDIENCE, -120)).get("/orgs").status())
        .isEqualTo(401);
    assertThat(as(jwt(issuer, null, ISSUER, AUDIENCE, 300)).get("/orgs").status()).isEqualTo(401);
    JsonObject noExpiry = new JsonObject().put("sub", "x").put("switchboard_scope", "fleet");
    String forever =
        issuer.generateToken(
            noExpiry,
            new JWTOptions()
                .setAlgorithm("RS256")
                .setIssuer(ISSUER)
                .setAudience(List.of(AUDIENCE)));
    assertThat(as(forever).get("/orgs").status()).as("a JWT must expire").isEqualTo(401);
    assertThat(as(jwt(issuer, "root", ISSUER, AUDIENCE, 300)).get("/orgs").status()).isEqualTo(401);
    assertThat(as(TestAdmin.shared().fleetToken()).get("/orgs").status())
        .as("operator keys still work beside OIDC")
        .isEqualTo(200);
  }
}
