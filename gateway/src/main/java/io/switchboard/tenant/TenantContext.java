package io.switchboard.tenant;

import io.switchboard.crypto.TenantKeys;
import java.util.UUID;

/**
 * Everything one authenticated request needs about its tenant: the registry row, the keys derived
 * from the tenant's scimsession, and the token that authenticated it.
 */
public record TenantContext(TenantRecord tenant, TenantKeys keys, String tokenId) {
  public UUID tenantId() {
    return tenant.id();
  }

  /** Prefix of the principal of background work such as a connector's sync. */
  public static final String CONNECTOR_PRINCIPAL = "connector:";

  /** The audit actor for changes made through this token (or by a connector). */
  public String actor() {
    return tokenId.startsWith(CONNECTOR_PRINCIPAL) ? tokenId : "scim:token:" + tokenId;
  }
}
