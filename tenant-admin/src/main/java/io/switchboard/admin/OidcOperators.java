package io.switchboard.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator credentials as JWTs from an OIDC issuer (the MSP's own IdP), beside admin keys: the
 * signature must verify with a key from the issuer's JWKS, {@code iss} and {@code aud} must match,
 * it must carry an expiry and not be past it, and the scope claim must say {@code fleet} or {@code
 * org:<id>}. The JWKS is fetched at start, every ten minutes, and again (at most every 30 s) when a
 * token names a key we do not know yet, so the issuer can rotate keys.
 *
 * <p>Usage: {@code OidcOperators.start(vertx, oidc).compose(o -> o.authenticate(jwt))}.
 */
final class OidcOperators {
  private static final Logger LOG = LoggerFactory.getLogger(OidcOperators.class);
  private static final long REFRESH_MILLIS = 10 * 60_000;
  private static final long MIN_REFETCH_MILLIS = 30_000;

  private final Vertx vertx;
  private final AdminConfig.Oidc config;
  private final WebClient http;
  private volatile JWTAuth verifier;
  private volatile long fetchedAt;
  private long timer = -1;

  private OidcOperators(Vertx vertx, AdminConfig.Oidc config) {
    this.vertx = vertx;
    this.config = config;
    this.http =
        WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setIdleTimeout(30));
  }

  static Future<OidcOperators> start(Vertx vertx, AdminConfig.Oidc config) {
    OidcOperators o = new OidcOperators(vertx, config);
    return o.refresh()
        .map(
            v -> {
              o.timer = vertx.setPeriodic(REFRESH_MILLIS, id -> o.refresh());
              return o;
            });
  }

  private Future<Void> refresh() {
    fetchedAt = System.currentTimeMillis();
    return http.getAbs(config.jwksUrl())
        .timeout(10_000)
        .send()
        .map(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "JWKS " + config.jwksUrl() + " answered " + response.statusCode());
              }
              JsonArray keys = response.bodyAsJsonObject().getJsonArray("keys", new JsonArray());
              List<JsonObject> jwks = new ArrayList<>();
              for (Object k : keys) {
                if (k instanceof JsonObject jwk && !"enc".equals(jwk.getString("use"))) {
                  jwks.add(jwk);
                }
              }
              verifier =
                  JWTAuth.create(
                      vertx,
                      new JWTAuthOptions()
                          .setJwks(jwks)
                          .setJWTOptions(
                              new JWTOptions()
                                  .setIssuer(config.issuer())
                                  .setAudience(List.of(config.audience()))
                                  .setLeeway(30)));
              return (Void) null;
            })
        .onFailure(e -> LOG.warn("OIDC JWKS not refreshed: {}", e.getMessage()));
  }

  /** Stops refreshing the JWKS. */
  void close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    http.close();
  }

  /** Empty when the JWT is not valid for us (whatever the reason: one answer for all). */
  Future<Optional<AdminPrincipal>> authenticate(String jwt) {
    return verify(jwt)
        .recover(
            err -> {
              if (System.currentTimeMillis() - fetchedAt < MIN_REFETCH_MILLIS) {
                return Future.failedFuture(err);
              }
              // perhaps signed with a key the issuer published since: refetch once and retry
              return refresh().compose(v -> verify(jwt));
            })
        .map(Optional::of)
        .recover(err -> Future.succeededFuture(Optional.empty()));
  }

  private Future<AdminPrincipal> verify(String jwt) {
    JWTAuth v = verifier;
    if (v == null) {
      return Future.failedFuture(new IllegalStateException("no JWKS yet"));
    }
    return v.authenticate(new TokenCredentials(jwt))
        .map(
            user -> {
              JsonObject claims = user.principal();
              Object scope = claims.getValue(config.scopeClaim());
              String sub = claims.getString("sub");
              if (!(scope instanceof String s) || !AdminPrincipal.validScope(s) || sub == null) {
                throw new IllegalArgumentException("no usable scope claim");
              }
              // Vert.x keeps exp among the user's attributes; get() looks there and in the claims
              if (!(user.get("exp") instanceof Number)) {
                // an operator credential that never expires is not one we accept
                throw new IllegalArgumentException("no exp claim");
              }
              return AdminPrincipal.oidc(sub.length() > 128 ? sub.substring(0, 128) : sub, s);
            });
  }
}
