package io.switchboard.http;

import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import java.util.Map;

/** What a handler hands the service: who, which request, and the conditional headers. */
public record ScimRequest(
    TenantContext tenant,
    String requestId,
    String baseUrl,
    String ifMatch,
    String ifNoneMatch,
    Map<String, String> query) {

  public WriteContext write() {
    return new WriteContext(tenant, requestId);
  }
}
