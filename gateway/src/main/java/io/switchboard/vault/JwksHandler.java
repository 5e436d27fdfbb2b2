package io.switchboard.vault;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves the gateway's JWT verification keys at {@code /.well-known/jwks.json} (public, no
 * authentication): tenants' Vaults fetch them to verify the gateway's {@code jwt} logins.
 *
 * <p>Usage: {@code JwksHandler.mount(router, signer);}
 */
public final class JwksHandler implements Handler<RoutingContext> {
  public static final String PATH = "/.well-known/jwks.json";

  private final String body;

  private JwksHandler(GatewayJwtSigner signer) {
    this.body = signer.jwks().encode();
  }

  public static void mount(Router router, GatewayJwtSigner signer) {
    router.get(PATH).handler(new JwksHandler(signer));
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Type", "application/jwk-set+json")
        .putHeader("Cache-Control", "public, max-age=300")
        .end(body);
  }
}
