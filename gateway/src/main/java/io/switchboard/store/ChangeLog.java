package io.switchboard.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Appends a change to the tenant's feed (encrypted payload) and to its audit log (ids and codes
 * only), inside the transaction that makes the change. Both inserts are sent without waiting for
 * each other, so recording costs no extra round trip.
 */
final class ChangeLog {
  private static final String INSERT_EVENT =
      "insert into provisioning_events (tenant_id, event_type, resource_type, resource_id,"
          + " resource_version, key_version, payload_ct, request_id)"
          + " values ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String INSERT_AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  private ChangeLog() {}

  /** One change: {@code type} such as {@code user.created}; the payload is encrypted. */
  record Change(
      String type, ResourceKind kind, UUID resourceId, long version, ObjectNode payload) {}

  static Future<Void> record(SqlConnection conn, WriteContext w, Change change) {
    var keys = w.tenant().keys();
    UUID tenant = w.tenant().tenantId();
    ObjectNode envelope = ScimJson.object();
    envelope.put("type", change.type());
    envelope.put("resourceType", change.kind().resourceType());
    envelope.put("id", change.resourceId().toString());
    envelope.put("version", change.version());
    envelope.setAll(change.payload());
    Future<?> event =
        conn.preparedQuery(INSERT_EVENT)
            .execute(
                Tuple.of(
                    tenant,
                    change.type(),
                    change.kind().resourceType(),
                    change.resourceId(),
                    change.version(),
                    keys.cipher().currentVersion(),
                    ResourceCodec.event(
                        keys, change.type(), change.resourceId(), change.version(), envelope),
                    w.requestId()));
    Future<?> audit =
        conn.preparedQuery(INSERT_AUDIT)
            .execute(
                Tuple.of(
                    tenant,
                    w.actor(),
                    "scim." + change.type(),
                    change.kind().resourceType() + "/" + change.resourceId(),
                    w.requestId(),
                    new JsonObject().put("version", change.version())));
    return Future.all(event, audit).mapEmpty();
  }
}
