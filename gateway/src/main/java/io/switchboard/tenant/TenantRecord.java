package io.switchboard.tenant;

import io.switchboard.session.TenantSessionRef;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/** A row of the tenant registry, as the gateway needs it to route and serve requests. */
public record TenantRecord(
    UUID id,
    String slug,
    String name,
    String status,
    String idpProfile,
    String sessionStore,
    JsonObject vault,
    TenantSettings settings) {

  public static final String ACTIVE = "active";
  public static final String SUSPENDED = "suspended";

  static final String COLUMNS =
      "id, slug, name, status, idp_profile, session_store, vault, settings";

  static TenantRecord from(Row row) {
    Object vault = row.getValue("vault");
    Object settings = row.getValue("settings");
    return new TenantRecord(
        row.getUUID("id"),
        row.getString("slug"),
        row.getString("name"),
        row.getString("status"),
        row.getString("idp_profile"),
        row.getString("session_store"),
        vault instanceof JsonObject j ? j : null,
        TenantSettings.fromJson(settings instanceof JsonObject j ? j : null));
  }

  public boolean active() {
    return ACTIVE.equals(status);
  }

  public TenantSessionRef sessionRef() {
    return new TenantSessionRef(id, sessionStore, vault);
  }
}
