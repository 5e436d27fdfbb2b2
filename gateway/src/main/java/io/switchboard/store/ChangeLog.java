package io.switchboard.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.feed.FeedWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * Appends a change to the tenant's feed ({@link FeedWriter}: encrypted payload, gap-free seq) and
 * to its audit log (ids and codes only), inside the transaction that makes the change. Both inserts
 * are sent without waiting for each other, so recording costs no extra round trip.
 */
final class ChangeLog {
  private static final String INSERT_AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  private ChangeLog() {}

  /** One change: {@code type} such as {@code user.created}; the payload is encrypted. */
  record Change(
      String type, ResourceKind kind, UUID resourceId, long version, ObjectNode payload) {}

  static Future<Void> record(SqlConnection conn, WriteContext w, Change change) {
    return record(conn, w, change, true);
  }

  /**
   * Records {@code change} in the audit log, and in the feed when {@code toFeed} (false for a group
   * the tenant does not manage: audited, not applied downstream).
   */
  static Future<Void> record(SqlConnection conn, WriteContext w, Change change, boolean toFeed) {
    UUID tenant = w.tenant().tenantId();
    Future<?> event =
        toFeed
            ? FeedWriter.append(
                conn,
                w.tenant().keys(),
                w.requestId(),
                new FeedWriter.NewEvent(
                    change.type(),
                    change.kind().resourceType(),
                    change.resourceId(),
                    change.version(),
                    change.payload()))
            : Future.succeededFuture();
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
