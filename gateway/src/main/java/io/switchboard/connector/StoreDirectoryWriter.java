package io.switchboard.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.store.Database;
import io.switchboard.store.GroupStore;
import io.switchboard.store.IndexedAttribute;
import io.switchboard.store.MemberOp;
import io.switchboard.store.ResourceKind;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link DirectoryWriter} on the encrypted stores the SCIM handlers use, so every change a sync
 * makes is encrypted, versioned and recorded in the change feed and audit log in its own
 * transaction, exactly as a SCIM request's would be. Which resources the connector manages is kept
 * as ids in {@code connector_resources}.
 *
 * <p>Marks of created resources are written in batches after the creates, in their own
 * transactions: a crash in between leaves unmarked resources, which the next sync finds by userName
 * or displayName and adopts, so a resumed sync never creates a duplicate.
 */
public final class StoreDirectoryWriter implements DirectoryWriter {
  private static final int CHUNK = 1000;
  private static final String MANAGED =
      "select resource_id from connector_resources where tenant_id = $1 and resource_type = $2";
  private static final String MARK =
      "insert into connector_resources (tenant_id, resource_type, resource_id)"
          + " values ($1, $2, $3) on conflict do nothing";
  private static final String MARK_ALL =
      "insert into connector_resources (tenant_id, resource_type, resource_id)"
          + " select $1, $2, x from unnest($3::uuid[]) x on conflict do nothing";
  private static final String UNMARK =
      "delete from connector_resources where tenant_id = $1 and resource_type = $2"
          + " and resource_id = $3";

  private final Database db;
  private final UserStore users;
  private final GroupStore groups;
  private final WriteContext write;

  public StoreDirectoryWriter(Database db, UserStore users, GroupStore groups, WriteContext write) {
    this.db = db;
    this.users = users;
    this.groups = groups;
    this.write = write;
  }

  @Override
  public Future<List<StoredResource>> managedUsers() {
    return managedIds(ResourceKind.USER)
        .compose(ids -> inChunks(ids, chunk -> users.byIds(write.tenant(), chunk, false)));
  }

  @Override
  public Future<List<StoredResource>> managedGroups() {
    return managedIds(ResourceKind.GROUP)
        .compose(ids -> inChunks(ids, chunk -> groups.byIds(write.tenant(), chunk, true)));
  }

  @Override
  public Future<Optional<StoredResource>> userByUserName(String userName) {
    return users
        .byIndex(write.tenant(), IndexedAttribute.USER_NAME, userName, false)
        .map(found -> found.stream().findFirst());
  }

  @Override
  public Future<Optional<StoredResource>> groupByDisplayName(String displayName) {
    return groups
        .byIndex(write.tenant(), IndexedAttribute.DISPLAY_NAME, displayName, true)
        .map(found -> found.stream().findFirst());
  }

  @Override
  public Future<StoredResource> createUser(ObjectNode document) {
    return users.create(write, document);
  }

  @Override
  public Future<StoredResource> replaceUser(UUID id, ObjectNode document) {
    return users
        .update(write, id, null, current -> document)
        .compose(u -> mark(ResourceKind.USER, id).map(u));
  }

  @Override
  public Future<Void> deleteUser(UUID id) {
    return users.delete(write, id, null).compose(v -> unmark(ResourceKind.USER, id));
  }

  @Override
  public Future<StoredResource> createGroup(ObjectNode document) {
    return groups.create(write, document, List.of());
  }

  @Override
  public Future<StoredResource> replaceGroup(UUID id, ObjectNode document) {
    return groups
        .update(write, id, null, current -> document, List.of(), true)
        .compose(g -> mark(ResourceKind.GROUP, id).map(g));
  }

  @Override
  public Future<Void> setMembers(UUID groupId, ObjectNode document, Collection<UUID> userIds) {
    return groups
        .update(
            write,
            groupId,
            null,
            StoredResource::document,
            List.of(new MemberOp.Replace(List.copyOf(userIds))),
            false)
        .mapEmpty();
  }

  @Override
  public Future<Void> deleteGroup(UUID id) {
    return groups.delete(write, id, null).compose(v -> unmark(ResourceKind.GROUP, id));
  }

  @Override
  public Future<Void> markManaged(ResourceKind kind, Collection<UUID> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID tenant = write.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(MARK_ALL)
                .execute(Tuple.of(tenant, kind.resourceType(), ids.toArray(UUID[]::new)))
                .mapEmpty());
  }

  private Future<List<UUID>> managedIds(ResourceKind kind) {
    UUID tenant = write.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(MANAGED)
                .execute(Tuple.of(tenant, kind.resourceType()))
                .map(
                    rows -> {
                      List<UUID> ids = new ArrayList<>(rows.size());
                      for (Row row : rows) {
                        ids.add(row.getUUID(0));
                      }
                      return ids;
                    }));
  }

  private Future<Void> mark(ResourceKind kind, UUID id) {
    UUID tenant = write.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(MARK).execute(Tuple.of(tenant, kind.resourceType(), id)).mapEmpty());
  }

  /** Forgets a resource the connector no longer manages (it was deleted). */
  public Future<Void> unmark(ResourceKind kind, UUID id) {
    UUID tenant = write.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(UNMARK)
                .execute(Tuple.of(tenant, kind.resourceType(), id))
                .mapEmpty());
  }

  private static Future<List<StoredResource>> inChunks(
      List<UUID> ids, java.util.function.Function<List<UUID>, Future<List<StoredResource>>> load) {
    Future<List<StoredResource>> acc = Future.succeededFuture(new ArrayList<>());
    for (int i = 0; i < ids.size(); i += CHUNK) {
      List<UUID> chunk = ids.subList(i, Math.min(ids.size(), i + CHUNK));
      acc =
          acc.compose(
              list ->
                  load.apply(chunk)
                      .map(
                          loaded -> {
                            list.addAll(loaded);
                            return list;
                          }));
    }
    return acc;
  }
}
