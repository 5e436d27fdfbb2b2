package io.switchboard.admin;

import java.util.UUID;

/**
 * An authenticated operator: an admin key with its scope, either {@code fleet} (every organisation)
 * or {@code org:<id>} (one organisation, for customer self-service).
 */
public record AdminPrincipal(String keyId, String scope) {
  public static final String FLEET = "fleet";

  public boolean fleet() {
    return FLEET.equals(scope);
  }

  /** Whether this principal may act on organisation {@code orgId}. */
  public boolean mayAccess(UUID orgId) {
    return fleet() || scope.equals("org:" + orgId);
  }

  /** The organisation an {@code org:<id>} key is scoped to; null for fleet keys. */
  public UUID orgId() {
    if (!scope.startsWith("org:")) {
      return null;
    }
    try {
      return UUID.fromString(scope.substring(4));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public String actor() {
    return "admin:key:" + keyId;
  }
}
