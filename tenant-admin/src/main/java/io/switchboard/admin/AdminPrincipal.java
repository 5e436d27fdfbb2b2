package io.switchboard.admin;

import java.util.UUID;

/**
 * An authenticated operator with its scope, either {@code fleet} (every organisation) or {@code
 * org:<id>} (one organisation, for customer self-service): an admin key ({@code keyId}), or a JWT
 * from the configured OIDC issuer ({@code subject}).
 */
public record AdminPrincipal(String keyId, String scope, String subject) {
  public static final String FLEET = "fleet";

  /** An operator key. */
  public AdminPrincipal(String keyId, String scope) {
    this(keyId, scope, null);
  }

  /** A JWT from the OIDC issuer; {@code subject} is its {@code sub} claim. */
  public static AdminPrincipal oidc(String subject, String scope) {
    return new AdminPrincipal(null, scope, subject);
  }

  public boolean fleet() {
    return FLEET.equals(scope);
  }

  /** Whether this principal may act on organisation {@code orgId}. */
  public boolean mayAccess(UUID orgId) {
    return fleet() || scope.equals("org:" + orgId);
  }

  /** The organisation an {@code org:<id>} principal is scoped to; null for fleet ones. */
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

  /** Who did it, for the audit log: {@code admin:key:<id>} or {@code admin:oidc:<sub>}. */
  public String actor() {
    return subject != null ? "admin:oidc:" + subject : "admin:key:" + keyId;
  }

  /** A scope as the API and keys spell it: {@code fleet} or {@code org:<uuid>}. */
  static boolean validScope(String scope) {
    if (FLEET.equals(scope)) {
      return true;
    }
    if (scope == null || !scope.startsWith("org:")) {
      return false;
    }
    try {
      UUID.fromString(scope.substring(4));
      return scope.length() == 40;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
