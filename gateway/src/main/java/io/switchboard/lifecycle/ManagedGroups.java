package io.switchboard.lifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.feed.FeedWriter;
import io.switchboard.feed.FeedWriter.NewEvent;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.UUID;

/**
 * Which SCIM groups a tenant applies downstream (setting {@code managedGroups}). A group that is
 * not managed is stored, served over SCIM and audited, but produces no feed events; when it becomes
 * managed (selected, or renamed into the selection) the feed gets {@code group.managed} with its
 * current document and members, and when it stops being managed, {@code group.unmanaged}.
 */
public final class ManagedGroups {
  private static final String STATE =
      "select managed from group_sync where tenant_id = $1 and group_id = $2";
  private static final String SET =
      "insert into group_sync (tenant_id, group_id, managed) values ($1, $2, $3)"
          + " on conflict (tenant_id, group_id) do update set managed = excluded.managed,"
          + " changed_at = now() where group_sync.managed <> excluded.managed";
  private static final String LIST =
      "select group_id, managed, changed_at from group_sync where tenant_id = $1"
          + " order by changed_at, group_id";

  private ManagedGroups() {}

  /** The recorded state of a group; empty for groups from before managed groups existed. */
  public static Future<Optional<Boolean>> state(SqlConnection conn, UUID tenantId, UUID groupId) {
    return conn.preparedQuery(STATE)
        .execute(Tuple.of(tenantId, groupId))
        .map(
            rows ->
                rows.size() == 0
                    ? Optional.empty()
                    : Optional.of(rows.iterator().next().getBoolean("managed")));
  }

  public static Future<Void> set(SqlConnection conn, UUID tenantId, UUID groupId, boolean managed) {
    return conn.preparedQuery(SET).execute(Tuple.of(tenantId, groupId, managed)).mapEmpty();
  }

  /**
   * {@code group.managed}: the group as it is now, members included, and the account group it is
   * bound to, for downstream to apply.
   */
  public static Future<Void> emitManaged(
      SqlConnection conn,
      TenantKeys keys,
      String requestId,
      UUID groupId,
      long version,
      ObjectNode document,
      Iterable<UUID> memberIds,
      Iterable<String> memberTypes) {
    ObjectNode payload = ScimJson.object();
    payload.set("resource", document);
    var members = payload.putArray("members");
    var types = memberTypes.iterator();
    for (UUID id : memberIds) {
      members.addObject().put("value", id.toString()).put("type", types.next());
    }
    return io.switchboard.store.AccountGroups.of(conn, keys.tenantId(), groupId)
        .compose(
            account -> {
              account.ifPresent(a -> payload.put("accountGroupId", a.toString()));
              return FeedWriter.append(
                  conn,
                  keys,
                  requestId,
                  new NewEvent("group.managed", "Group", groupId, version, payload));
            });
  }

  /** {@code group.unmanaged}: downstream drops the group (the SCIM group stays). */
  public static Future<Void> emitUnmanaged(
      SqlConnection conn, TenantKeys keys, String requestId, UUID groupId, long version) {
    return FeedWriter.append(
        conn,
        keys,
        requestId,
        new NewEvent("group.unmanaged", "Group", groupId, version, ScimJson.object()));
  }

  /** Every group's managed state, for tenant-admin. */
  public static Future<JsonArray> list(Database db, UUID tenantId) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(LIST)
                .execute(Tuple.of(tenantId))
                .map(
                    rows -> {
                      JsonArray out = new JsonArray();
                      for (Row row : rows) {
                        out.add(
                            new JsonObject()
                                .put("groupId", row.getUUID("group_id").toString())
                                .put("managed", row.getBoolean("managed"))
                                .put(
                                    "since",
                                    row.getOffsetDateTime("changed_at").toInstant().toString()));
                      }
                      return out;
                    }));
  }
}
