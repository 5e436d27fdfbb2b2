package io.switchboard.store;

import io.switchboard.tenant.TenantContext;

/** Who is writing, for the change feed and the audit log. */
public record WriteContext(TenantContext tenant, String requestId) {
  public String actor() {
    return tenant.actor();
  }
}
