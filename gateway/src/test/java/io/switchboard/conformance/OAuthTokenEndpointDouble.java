package io.switchboard.conformance;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test double of an OAuth 2.0 authorization server, on a free loopback port, for SAP's compliance
 * suite: the suite authenticates only by Basic or by an OAuth client-credentials fetch (RFC 6749
 * §4.4), while the gateway accepts only its own bearer tokens. The double answers a
 * client-credentials request carrying the expected client credentials with a real tenant's bearer
 * token as {@code access_token}; anything else gets the RFC 6749 §5.2 error.
 *
 * <p>Usage: {@code OAuthTokenEndpointDouble.start(vertx, "suite", secret, tenant.token())}, then
 * give the suite {@code tokenUrl()}.
 */
public final class OAuthTokenEndpointDouble implements AutoCloseable {
  public static final String TOKEN_PATH = "/oauth/token";

  private final HttpServer server;
  private final AtomicInteger tokensIssued;

  private OAuthTokenEndpointDouble(HttpServer server, AtomicInteger tokensIssued) {
    this.server = server;
    this.tokensIssued = tokensIssued;
  }

  public static Future<OAuthTokenEndpointDouble> start(
      Vertx vertx, String clientId, String clientSecret, String accessToken) {
    String expectedAuthorization =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    AtomicInteger issued = new AtomicInteger();
    return vertx
        .createHttpServer()
        .requestHandler(req -> answer(req, expectedAuthorization, accessToken, issued))
        .listen(0, "127.0.0.1")
        .map(server -> new OAuthTokenEndpointDouble(server, issued));
  }

  private static void answer(
      HttpServerRequest req,
      String expectedAuthorization,
      String accessToken,
      AtomicInteger issued) {
    if (!"POST".equals(req.method().name()) || !TOKEN_PATH.equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    // the suite sends grant_type as a query parameter and no body; RFC 6749 puts it in a form body
    req.body()
        .onSuccess(
            body -> {
              String grant = req.getParam("grant_type");
              if (grant == null) {
                grant = formParameter(body.toString(StandardCharsets.UTF_8), "grant_type");
              }
              String authorization = req.getHeader("Authorization");
              if (authorization == null
                  || !constantTimeEquals(authorization, expectedAuthorization)) {
                error(req, 401, "invalid_client");
              } else if (!"client_credentials".equals(grant)) {
                error(req, 400, "unsupported_grant_type");
              } else {
                issued.incrementAndGet();
                json(
                    req,
                    200,
                    new JsonObject()
                        .put("access_token", accessToken)
                        .put("token_type", "Bearer")
                        .put("expires_in", 3600));
              }
            });
  }

  private static String formParameter(String form, String name) {
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void error(HttpServerRequest req, int status, String error) {
    if (status == 401) {
      req.response().putHeader("WWW-Authenticate", "Basic realm=\"token\"");
    }
    json(req, status, new JsonObject().put("error", error));
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** The token endpoint's URL, for the suite's {@code oauth.service.url}. */
  public String tokenUrl() {
    return "http://127.0.0.1:" + server.actualPort() + TOKEN_PATH;
  }

  /** How many access tokens the double handed out. */
  public int tokensIssued() {
    return tokensIssued.get();
  }

  @Override
  public void close() {
    server.close().toCompletionStage().toCompletableFuture().join();
  }
}
