package io.switchboard.admin;

import io.switchboard.gateway.GatewayConfig;
import io.switchboard.session.BearerToken;
import java.util.Map;
import java.util.Optional;

/**
 * Tenant-admin's own settings, beside the shared {@link GatewayConfig}: its port, an optional
 * bootstrap operator key ({@code SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN}, fleet scope), and optionally
 * an OIDC issuer whose JWTs are accepted as operator credentials ({@code
 * SWITCHBOARD_ADMIN_OIDC_ISSUER}, {@code _AUDIENCE}, {@code _JWKS_URL}, {@code _SCOPE_CLAIM}).
 */
public record AdminConfig(
    int port, Optional<String> bootstrapToken, String publicScimUrl, Optional<Oidc> oidc) {
  public static final int DEFAULT_PORT = 8081;

  /**
   * JWTs from this issuer, for this audience, signed by a key in this JWKS, are operator
   * credentials; {@code scopeClaim} holds {@code fleet} or {@code org:<id>}.
   */
  public record Oidc(String issuer, String audience, String jwksUrl, String scopeClaim) {}

  public AdminConfig(int port, Optional<String> bootstrapToken, String publicScimUrl) {
    this(port, bootstrapToken, publicScimUrl, Optional.empty());
  }

  public static AdminConfig fromEnv(Map<String, String> env, GatewayConfig gateway) {
    GatewayConfig.Reader r = new GatewayConfig.Reader(env);
    int port = r.port("SWITCHBOARD_ADMIN_PORT", DEFAULT_PORT);
    String bootstrap = r.string("SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN", null);
    if (bootstrap != null && BearerToken.parse(BearerToken.ADMIN_PREFIX, bootstrap).isEmpty()) {
      r.problem(
          "SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN must look like sba_<32 hex>_<43 base64url chars>");
    }
    String issuer = r.string("SWITCHBOARD_ADMIN_OIDC_ISSUER", null);
    String audience = r.string("SWITCHBOARD_ADMIN_OIDC_AUDIENCE", null);
    String jwks = r.string("SWITCHBOARD_ADMIN_OIDC_JWKS_URL", null);
    String claim = r.string("SWITCHBOARD_ADMIN_OIDC_SCOPE_CLAIM", "switchboard_scope");
    Optional<Oidc> oidc = Optional.empty();
    if (issuer != null || audience != null || jwks != null) {
      if (issuer == null || audience == null || jwks == null) {
        r.problem(
            "SWITCHBOARD_ADMIN_OIDC_ISSUER, SWITCHBOARD_ADMIN_OIDC_AUDIENCE and"
                + " SWITCHBOARD_ADMIN_OIDC_JWKS_URL are needed together");
      } else if (!jwks.startsWith("https://")
          && !jwks.startsWith("http://127.0.0.1")
          && !jwks.startsWith("http://localhost")) {
        r.problem("SWITCHBOARD_ADMIN_OIDC_JWKS_URL must be an https URL");
      } else {
        oidc = Optional.of(new Oidc(issuer, audience, jwks, claim));
      }
    }
    r.check();
    String scimUrl =
        gateway
            .publicUrl()
            .map(u -> u + "/scim/v2")
            .orElse("http://" + gateway.bindHost() + ":" + gateway.scimPort() + "/scim/v2");
    return new AdminConfig(port, Optional.ofNullable(bootstrap), scimUrl, oidc);
  }

  public AdminConfig withPort(int newPort) {
    return new AdminConfig(newPort, bootstrapToken, publicScimUrl, oidc);
  }

  public AdminConfig withPublicScimUrl(String url) {
    return new AdminConfig(port, bootstrapToken, url, oidc);
  }

  public AdminConfig withOidc(Oidc settings) {
    return new AdminConfig(port, bootstrapToken, publicScimUrl, Optional.of(settings));
  }
}
