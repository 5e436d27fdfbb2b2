package io.switchboard.connector.google;

import io.switchboard.connector.ConnectorException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens for a service account acting as a Workspace administrator (domain-wide delegation):
 * an RS256-signed JWT assertion exchanged at the token endpoint with the JWT-bearer grant (RFC
 * 7523), cached until shortly before it expires. Token exchange errors become precise {@link
 * ConnectorException}s; tokens, assertions and keys never reach a log or a message.
 *
 * <p>Usage: {@code tokens.token(cacheKey, key, subject).compose(accessToken -> ...)}.
 */
public final class GoogleTokenSource {
  public static final List<String> SCOPES =
      List.of(
          "https://www.googleapis.com/auth/admin.directory.user.readonly",
          "https://www.googleapis.com/auth/admin.directory.group.readonly",
          "https://www.googleapis.com/auth/admin.directory.group.member.readonly");
  static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  private static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);
  private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final WebClient http;
  private final GoogleEndpoints endpoints;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String accessToken, Instant refreshAt) {}

  public GoogleTokenSource(WebClient http, GoogleEndpoints endpoints, Clock clock) {
    this.http = http;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  /** A valid access token for {@code subject}, from the cache when it has a minute left. */
  public Future<String> token(String cacheKey, ServiceAccountKey key, String subject) {
    String k = cacheKey + "|" + key.privateKeyId() + "|" + subject;
    Cached c = cache.get(k);
    if (c != null && clock.instant().isBefore(c.refreshAt())) {
      return Future.succeededFuture(c.accessToken());
    }
    return exchange(key, subject)
        .map(
            fresh -> {
              cache.put(k, fresh);
              return fresh.accessToken();
            });
  }

  /** Forgets a token Google no longer accepts (a 401 from the Directory API). */
  public void invalidate(String cacheKey, ServiceAccountKey key, String subject) {
    cache.remove(cacheKey + "|" + key.privateKeyId() + "|" + subject);
  }

  private Future<Cached> exchange(ServiceAccountKey key, String subject) {
    String assertion;
    try {
      assertion = assertion(key, subject, clock.instant());
    } catch (GeneralSecurityException e) {
      return Future.failedFuture(
          new ConnectorException(
              ConnectorException.KEY_FORMAT, "The service account key cannot sign (RS256)."));
    }
    MultiMap form =
        MultiMap.caseInsensitiveMultiMap()
            .add("grant_type", GRANT_TYPE)
            .add("assertion", assertion);
    return http.postAbs(endpoints.tokenUrl())
        .timeout(endpoints.requestTimeout().toMillis())
        .putHeader("Accept", "application/json")
        .sendForm(form)
        .recover(
            err ->
                Future.failedFuture(
                    new ConnectorException(
                        ConnectorException.SOURCE_UNAVAILABLE,
                        "Google's token endpoint cannot be reached ("
                            + err.getClass().getSimpleName()
                            + ").")))
        .compose(this::tokenFrom);
  }

  private Future<Cached> tokenFrom(HttpResponse<io.vertx.core.buffer.Buffer> r) {
    JsonObject body;
    try {
      body = r.bodyAsJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (r.statusCode() == 200 && body != null && body.getValue("access_token") instanceof String) {
      long expiresIn = body.getValue("expires_in") instanceof Number n ? n.longValue() : 3600L;
      Instant refreshAt = clock.instant().plusSeconds(expiresIn).minus(EXPIRY_MARGIN);
      return Future.succeededFuture(new Cached(body.getString("access_token"), refreshAt));
    }
    if (r.statusCode() >= 500 || r.statusCode() == 429) {
      return Future.failedFuture(
          new ConnectorException(
              ConnectorException.SOURCE_UNAVAILABLE,
              "Google's token endpoint answered " + r.statusCode() + "; retry later."));
    }
    String error = body == null ? "" : String.valueOf(body.getValue("error", ""));
    String description = body == null ? "" : String.valueOf(body.getValue("error_description", ""));
    return Future.failedFuture(tokenError(error, description, r.statusCode()));
  }

  /** Google's token errors, as documented, turned into what the operator has to fix. */
  static ConnectorException tokenError(String error, String description, int status) {
    String d = description.toLowerCase(java.util.Locale.ROOT);
    return switch (error) {
      case "unauthorized_client" ->
          new ConnectorException(
              ConnectorException.UNAUTHORIZED_CLIENT,
              "Google refused the service account for these scopes (unauthorized_client): in the"
                  + " Admin console, Security > Access and data control > API controls >"
                  + " Domain-wide delegation, authorise its client id for "
                  + String.join(",", SCOPES)
                  + ".");
      case "invalid_scope" ->
          new ConnectorException(
              ConnectorException.INVALID_SCOPE,
              "Google rejected the requested scopes (invalid_scope).");
      case "invalid_grant" -> {
        if (d.contains("email") || d.contains("user id") || d.contains("subject")) {
          yield new ConnectorException(
              ConnectorException.INVALID_SUBJECT,
              "Google does not accept the admin subject (invalid_grant: invalid email or user"
                  + " id): adminSubject must be an existing user of the Workspace with an"
                  + " administrator role.");
        }
        if (d.contains("signature")) {
          yield new ConnectorException(
              ConnectorException.TOKEN_EXCHANGE,
              "Google rejected the assertion's signature (invalid_grant): the key was deleted"
                  + " or does not belong to this service account; create a new JSON key.");
        }
        yield new ConnectorException(
            ConnectorException.TOKEN_EXCHANGE,
            "Google rejected the token request (invalid_grant): check the service account and"
                + " the clock of this machine.");
      }
      case "invalid_client" ->
          new ConnectorException(
              ConnectorException.TOKEN_EXCHANGE,
              "Google does not know this service account (invalid_client): it was deleted or"
                  + " disabled.");
      default ->
          new ConnectorException(
              ConnectorException.TOKEN_EXCHANGE,
              "The token exchange failed with HTTP "
                  + status
                  + (error.isEmpty() ? "" : " (" + error + ")")
                  + ".");
    };
  }

  /** The signed JWT: header.claims.signature, each base64url without padding. */
  static String assertion(ServiceAccountKey key, String subject, Instant now)
      throws GeneralSecurityException {
    JsonObject header =
        new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", key.privateKeyId());
    JsonObject claims =
        new JsonObject()
            .put("iss", key.clientEmail())
            .put("sub", subject)
            .put("scope", String.join(" ", SCOPES))
            .put("aud", GoogleEndpoints.TOKEN_AUDIENCE)
            .put("iat", now.getEpochSecond())
            .put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
    String signingInput =
        B64.encodeToString(header.encode().getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key.privateKey());
    rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + B64.encodeToString(rs256.sign());
  }
}
