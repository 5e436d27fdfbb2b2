package io.switchboard.tenant;

import io.vertx.core.json.JsonObject;

/**
 * Per-tenant behaviour that must differ by client, set through tenant-admin and stored in {@code
 * tenants.settings}. Everything else is tolerant for every tenant.
 *
 * @param patchUserStatus 200 (answer with the resource) or 204 for PATCH on Users
 * @param patchGroupStatus 200 or 204 for PATCH on Groups (Entra advises 204: no member list)
 */
public record TenantSettings(int patchUserStatus, int patchGroupStatus) {
  public static final TenantSettings DEFAULTS = new TenantSettings(200, 204);

  public static TenantSettings fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    JsonObject patch = json.getJsonObject("patchResponse", new JsonObject());
    return new TenantSettings(
        status(patch.getValue("users"), DEFAULTS.patchUserStatus),
        status(patch.getValue("groups"), DEFAULTS.patchGroupStatus));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(
            "patchResponse",
            new JsonObject().put("users", patchUserStatus).put("groups", patchGroupStatus));
  }

  private static int status(Object value, int def) {
    if (value instanceof Number n && (n.intValue() == 200 || n.intValue() == 204)) {
      return n.intValue();
    }
    return def;
  }
}
