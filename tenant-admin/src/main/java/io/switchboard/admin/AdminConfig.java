package io.switchboard.admin;

import io.switchboard.gateway.GatewayConfig;
import java.util.Map;
import java.util.Optional;

/**
 * Tenant-admin's own settings, beside the shared {@link GatewayConfig}: its port and an optional
 * bootstrap operator key ({@code SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN}, fleet scope).
 */
public record AdminConfig(int port, Optional<String> bootstrapToken, String publicScimUrl) {
  public static final int DEFAULT_PORT = 8081;

  public static AdminConfig fromEnv(Map<String, String> env, GatewayConfig gateway) {
    GatewayConfig.Reader r = new GatewayConfig.Reader(env);
    int port = r.port("SWITCHBOARD_ADMIN_PORT", DEFAULT_PORT);
    String bootstrap = r.string("SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN", null);
    if (bootstrap != null
        && io.switchboard.session.BearerToken.parse(
                io.switchboard.session.BearerToken.ADMIN_PREFIX, bootstrap)
            .isEmpty()) {
      r.problem(
          "SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN must look like sba_<32 hex>_<43 base64url chars>");
    }
    r.check();
    String scimUrl =
        gateway
            .publicUrl()
            .map(u -> u + "/scim/v2")
            .orElse("http://" + gateway.bindHost() + ":" + gateway.scimPort() + "/scim/v2");
    return new AdminConfig(port, Optional.ofNullable(bootstrap), scimUrl);
  }

  public AdminConfig withPort(int newPort) {
    return new AdminConfig(newPort, bootstrapToken, publicScimUrl);
  }

  public AdminConfig withPublicScimUrl(String url) {
    return new AdminConfig(port, bootstrapToken, url);
  }
}
