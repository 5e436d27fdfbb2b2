package io.switchboard.store;

import io.switchboard.crypto.TenantKeys;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads for background work that runs inside its own tenant transaction (the managed-groups
 * reconciler): every group, decrypted, with its direct members.
 */
public final class FeedSnapshots {
  private static final String GROUPS =
      "select "
          + GroupStore.COLUMNS
          + " from scim_groups g where g.tenant_id = $1 order by g.created_at, g.id";
  private static final String MEMBERS =
      "select group_id, member_id, member_type from group_members where tenant_id = $1"
          + " order by group_id, added_at, member_id";

  private FeedSnapshots() {}

  /** Every group of the tenant with its members (id and type only). */
  public static Future<List<StoredResource>> groups(SqlConnection conn, TenantKeys keys) {
    Future<List<StoredResource>> groups =
        conn.preparedQuery(GROUPS)
            .execute(Tuple.of(keys.tenantId()))
            .map(rows -> GroupStore.decodeAll(keys, rows));
    Future<Map<UUID, List<MemberRef>>> members =
        conn.preparedQuery(MEMBERS)
            .execute(Tuple.of(keys.tenantId()))
            .map(
                rows -> {
                  Map<UUID, List<MemberRef>> byGroup = new HashMap<>();
                  for (Row row : rows) {
                    byGroup
                        .computeIfAbsent(row.getUUID("group_id"), k -> new ArrayList<>())
                        .add(
                            new MemberRef(
                                row.getUUID("member_id"), row.getString("member_type"), null));
                  }
                  return byGroup;
                });
    return Future.all(groups, members)
        .map(
            v ->
                groups.result().stream()
                    .map(g -> g.withMembers(members.result().getOrDefault(g.id(), List.of())))
                    .toList());
  }
}
