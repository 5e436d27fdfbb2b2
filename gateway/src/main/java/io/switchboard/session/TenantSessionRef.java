package io.switchboard.session;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Where a tenant's scimsession lives: {@code local} (the data directory; dev and tests) or {@code
 * vault} (the customer's Vault; {@code vault} holds the connection settings as stored in {@code
 * tenants.vault}, with secrets sealed under the gateway's master key).
 */
public record TenantSessionRef(UUID tenantId, String store, JsonObject vault) {
  public static final String LOCAL = "local";
  public static final String VAULT = "vault";

  public static TenantSessionRef local(UUID tenantId) {
    return new TenantSessionRef(tenantId, LOCAL, null);
  }
}
