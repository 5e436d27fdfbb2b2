package io.switchboard.conformance;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The OAuth token endpoint double hands the compliance suite a tenant's bearer token")
class OAuthTokenEndpointDoubleTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  /** The request as the suite's Jersey client sends it: grant in the query, Basic, no body. */
  private static Reply post(String url, String user, String secret) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setConnectTimeout(2000);
    c.setReadTimeout(10_000);
    c.setRequestProperty(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      return new Reply(
          status, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    }
  }

  private record Reply(int status, JsonObject body) {}

  @Test
  @DisplayName("a client-credentials request with the right client gets the token as a Bearer")
  void issuesToken() throws IOException {
    try (var tokens =
        await(OAuthTokenEndpointDouble.start(vertx, "suite", "s3cret", "sbt_abc.def"))) {
      Reply r = post(tokens.tokenUrl() + "?grant_type=client_credentials", "suite", "s3cret");

      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body().getString("access_token")).isEqualTo("sbt_abc.def");
      assertThat(r.body().getString("token_type")).isEqualTo("Bearer");
      assertThat(r.body().getInteger("expires_in")).isPositive();
      assertThat(tokens.tokensIssued()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "a wrong secret gets 401 invalid_client and another grant 400 unsupported_grant_type")
  void rejects() throws IOException {
    try (var tokens =
        await(OAuthTokenEndpointDouble.start(vertx, "suite", "s3cret", "sbt_abc.def"))) {
      Reply wrongSecret =
          post(tokens.tokenUrl() + "?grant_type=client_credentials", "suite", "guess");
      Reply wrongGrant = post(tokens.tokenUrl() + "?grant_type=password", "suite", "s3cret");

      assertThat(wrongSecret.status()).isEqualTo(401);
      assertThat(wrongSecret.body().getString("error")).isEqualTo("invalid_client");
      assertThat(wrongGrant.status()).isEqualTo(400);
      assertThat(wrongGrant.body().getString("error")).isEqualTo("unsupported_grant_type");
      assertThat(tokens.tokensIssued()).isZero();
    }
  }
}
