package io.switchboard.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.BlindIndex;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.lifecycle.AccountLifecycle;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.tenant.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * SCIM users of one tenant at a time, encrypted at rest. Lookups by {@code userName}, {@code
 * externalId} and {@code emails.value} go through blind indexes; everything else is decrypted and
 * evaluated within the tenant by the caller.
 *
 * <p>Usage: {@code users.create(write, document)}; {@code users.get(tenant, id)}.
 */
public final class UserStore {
  static final String COLUMNS = "u.id, u.version, u.resource_ct, u.created_at, u.updated_at";

  private static final String INSERT =
      "insert into scim_users (tenant_id, id, version, key_version, username_idx, external_idx,"
          + " display_ct, resource_ct, created_at, updated_at)"
          + " values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $8)";
  private static final String INSERT_EMAILS =
      "insert into scim_user_emails (tenant_id, value_idx, user_id)"
          + " select $1, x, $2 from unnest($3::bytea[]) x on conflict do nothing";
  private static final String DELETE_STALE_EMAILS =
      "delete from scim_user_emails where tenant_id = $1 and user_id = $2"
          + " and not (value_idx = any($3::bytea[]))";
  private static final String SELECT_ONE =
      "select " + COLUMNS + " from scim_users u where u.tenant_id = $1 and u.id = $2";
  private static final String LOCK_ONE = SELECT_ONE + " for update";
  private static final String UPDATE =
      "update scim_users set version = $3, key_version = $4, username_idx = $5,"
          + " external_idx = $6, display_ct = $7, resource_ct = $8, updated_at = $9"
          + " where tenant_id = $1 and id = $2";
  private static final String DELETE =
      "delete from scim_users where tenant_id = $1 and id = $2 returning version";
  private static final String DELETE_MEMBERSHIPS =
      "delete from group_members where tenant_id = $1 and member_id = $2";
  private static final String GROUPS_OF =
      "select gm.member_id, g.id, g.version, g.display_ct from group_members gm"
          + " join scim_groups g on g.tenant_id = gm.tenant_id and g.id = gm.group_id"
          + " where gm.tenant_id = $1 and gm.member_id = any($2::uuid[])";
  private static final String PAGE =
      "select "
          + COLUMNS
          + " from scim_users u where u.tenant_id = $1 order by u.created_at, u.id"
          + " offset $2 limit $3";
  private static final String COUNT = "select count(*) from scim_users where tenant_id = $1";
  // self-scoping functions (V12_1): users with their groups in one round trip
  private static final String ROWS_BY_IDS = "select * from sb_user_rows($1, $2::uuid[])";
  private static final String ROWS_BY_INDEX = "select * from sb_users_by_index($1, $2, $3)";
  private static final String SCAN =
      "select "
          + COLUMNS
          + " from scim_users u where u.tenant_id = $1 order by u.created_at, u.id limit $2";

  private final Database db;
  private final Clock clock;

  public UserStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  public Database database() {
    return db;
  }

  /** Inserts a validated document; 409 {@code uniqueness} if the userName is taken. */
  public Future<StoredResource> create(WriteContext w, ObjectNode document) {
    TenantKeys keys = w.tenant().keys();
    UUID tenant = w.tenant().tenantId();
    UUID id = UUID.randomUUID();
    Instant now = StoreSupport.now(clock);
    Indexes ix = Indexes.of(keys.index(), document);
    StoredResource created =
        new StoredResource(ResourceKind.USER, id, 1, now, now, document, List.of(), null);
    return db.inTenant(
            tenant,
            conn -> {
              Future<RowSet<Row>> insert =
                  conn.preparedQuery(INSERT)
                      .execute(
                          Tuple.from(
                              new Object[] {
                                tenant,
                                id,
                                keys.cipher().currentVersion(),
                                ix.userName,
                                ix.externalId,
                                ResourceCodec.display(keys, ResourceKind.USER, id, 1, ix.display),
                                ResourceCodec.document(keys, ResourceKind.USER, id, 1, document),
                                StoreSupport.odt(now)
                              }));
              Future<RowSet<Row>> emails =
                  conn.preparedQuery(INSERT_EMAILS)
                      .execute(Tuple.of(tenant, id, (Object) ix.emails));
              Future<Void> log =
                  ChangeLog.record(
                      conn,
                      w,
                      new ChangeLog.Change(
                          "user.invited", ResourceKind.USER, id, 1, payload(created)));
              // sent now, with the statements above: its own events follow user.invited in the
              // feed because it appends them only once its policy read has answered
              Future<Void> account =
                  AccountLifecycle.created(conn, keys, w.requestId(), id, 1, document);
              return Future.all(insert, emails, log, account)
                  .transform(r -> firstFailure(r, insert));
            })
        .recover(UserStore::mapUniqueness)
        .map(created);
  }

  /** The user with its groups, or 404: one round trip ({@code sb_user_rows}). */
  public Future<StoredResource> get(TenantContext t, UUID id) {
    return db.scopedCall(ROWS_BY_IDS, Tuple.of(t.tenantId(), (Object) new UUID[] {id}))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(notFound(id))
                    : Future.succeededFuture(decodeWithGroups(t, rows.iterator().next())));
  }

  /**
   * Replaces a user's document with {@code change.apply(current)} under a row lock, with the
   * optimistic check of {@code ifMatch} (a version, or null). A change that leaves the document as
   * it was writes nothing and returns the current resource.
   */
  public Future<StoredResource> update(
      WriteContext w, UUID id, Long ifMatch, Function<StoredResource, ObjectNode> change) {
    TenantContext t = w.tenant();
    TenantKeys keys = t.keys();
    UUID tenant = t.tenantId();
    return db.inTenant(
            tenant,
            conn ->
                conn.preparedQuery(LOCK_ONE)
                    .execute(Tuple.of(tenant, id))
                    .compose(
                        rows -> {
                          if (rows.size() == 0) {
                            return Future.failedFuture(notFound(id));
                          }
                          StoredResource current = decode(keys, rows.iterator().next());
                          StoreSupport.checkIfMatch(ifMatch, current.version());
                          ObjectNode next = change.apply(current);
                          if (next.equals(current.document())) {
                            return groupsOf(conn, t, List.of(id))
                                .map(g -> current.withGroups(g.getOrDefault(id, List.of())));
                          }
                          long version = current.version() + 1;
                          Instant now = StoreSupport.now(clock);
                          Indexes ix = Indexes.of(keys.index(), next);
                          StoredResource updated =
                              new StoredResource(
                                  ResourceKind.USER,
                                  id,
                                  version,
                                  current.created(),
                                  now,
                                  next,
                                  null,
                                  null);
                          Future<RowSet<Row>> update =
                              conn.preparedQuery(UPDATE)
                                  .execute(
                                      Tuple.from(
                                          new Object[] {
                                            tenant,
                                            id,
                                            version,
                                            keys.cipher().currentVersion(),
                                            ix.userName,
                                            ix.externalId,
                                            ResourceCodec.display(
                                                keys, ResourceKind.USER, id, version, ix.display),
                                            ResourceCodec.document(
                                                keys, ResourceKind.USER, id, version, next),
                                            StoreSupport.odt(now)
                                          }));
                          Future<RowSet<Row>> stale =
                              conn.preparedQuery(DELETE_STALE_EMAILS)
                                  .execute(Tuple.of(tenant, id, (Object) ix.emails));
                          Future<RowSet<Row>> emails =
                              conn.preparedQuery(INSERT_EMAILS)
                                  .execute(Tuple.of(tenant, id, (Object) ix.emails));
                          Future<Void> log =
                              ChangeLog.record(
                                  conn,
                                  w,
                                  new ChangeLog.Change(
                                      "user.updated",
                                      ResourceKind.USER,
                                      id,
                                      version,
                                      payload(updated)));
                          // sent with the statements above; its events follow user.updated
                          // because it appends them only after its own row lock has answered
                          Future<Void> account =
                              AccountLifecycle.updated(
                                  conn, keys, w.requestId(), id, version, current.document(), next);
                          Future<Map<UUID, List<MemberRef>>> groups =
                              groupsOf(conn, t, List.of(id));
                          return Future.all(update, stale, emails, log, account, groups)
                              .transform(r -> firstFailure(r, update))
                              .map(
                                  v ->
                                      updated.withGroups(
                                          groups.result().getOrDefault(id, List.of())));
                        }))
        .recover(UserStore::mapUniqueness);
  }

  /** Deletes a user and its memberships; 404 if there is none. */
  public Future<Void> delete(WriteContext w, UUID id, Long ifMatch) {
    UUID tenant = w.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            conn.preparedQuery(DELETE)
                .execute(Tuple.of(tenant, id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(notFound(id));
                      }
                      long version = rows.iterator().next().getLong("version");
                      StoreSupport.checkIfMatch(ifMatch, version);
                      Future<RowSet<Row>> memberships =
                          conn.preparedQuery(DELETE_MEMBERSHIPS).execute(Tuple.of(tenant, id));
                      // audited here; the feed event (with its disposition) comes from the
                      // account lifecycle
                      Future<Void> log =
                          ChangeLog.record(
                              conn,
                              w,
                              new ChangeLog.Change(
                                  "user.deleted",
                                  ResourceKind.USER,
                                  id,
                                  version,
                                  ScimJson.object()),
                              false);
                      Future<Void> account =
                          AccountLifecycle.deleted(
                              conn, w.tenant().keys(), w.requestId(), id, version);
                      return Future.all(memberships, log, account).mapEmpty();
                    }));
  }

  /** One page in creation order, without filter, and the total. */
  public Future<Page> page(TenantContext t, int offset, int limit, boolean withGroups) {
    return db.inTenant(
        t.tenantId(),
        conn -> {
          Future<RowSet<Row>> count = conn.preparedQuery(COUNT).execute(Tuple.of(t.tenantId()));
          Future<List<StoredResource>> page =
              limit == 0
                  ? Future.succeededFuture(List.of())
                  : conn.preparedQuery(PAGE)
                      .execute(Tuple.of(t.tenantId(), offset, limit))
                      .compose(rows -> withGroups(conn, t, decodeAll(t.keys(), rows), withGroups));
          return Future.all(count, page)
              .map(v -> new Page(count.result().iterator().next().getLong(0), page.result()));
        });
  }

  /** Candidates for an indexed {@code eq}: few rows, decrypted. */
  public Future<List<StoredResource>> byIndex(
      TenantContext t, IndexedAttribute attribute, String value, boolean withGroups) {
    BlindIndex index = t.keys().index();
    byte[] key =
        switch (attribute) {
          case USER_NAME -> index.caseInsensitive("userName", value);
          case EXTERNAL_ID -> index.caseExact("externalId", value);
          case EMAIL -> index.caseInsensitive("emails.value", value);
          default -> throw new IllegalArgumentException("not a user index: " + attribute);
        };
    String name =
        switch (attribute) {
          case USER_NAME -> "userName";
          case EXTERNAL_ID -> "externalId";
          default -> "emails.value";
        };
    return db.scopedCall(ROWS_BY_INDEX, Tuple.of(t.tenantId(), name, Buffer.buffer(key)))
        .map(rows -> decodeAll(t, rows, withGroups));
  }

  public Future<List<StoredResource>> byIds(
      TenantContext t, Collection<UUID> ids, boolean withGroups) {
    return db.scopedCall(ROWS_BY_IDS, Tuple.of(t.tenantId(), (Object) ids.toArray(UUID[]::new)))
        .map(rows -> decodeAll(t, rows, withGroups));
  }

  /** Every user of the tenant up to {@code limit} rows, in creation order, decrypted. */
  public Future<List<StoredResource>> scan(TenantContext t, int limit, boolean withGroups) {
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(SCAN)
                .execute(Tuple.of(t.tenantId(), limit))
                .compose(rows -> withGroups(conn, t, decodeAll(t.keys(), rows), withGroups)));
  }

  private Future<List<StoredResource>> withGroups(
      SqlConnection conn, TenantContext t, List<StoredResource> users, boolean wanted) {
    if (!wanted || users.isEmpty()) {
      return Future.succeededFuture(users);
    }
    return groupsOf(conn, t, users.stream().map(StoredResource::id).toList())
        .map(
            groups ->
                users.stream()
                    .map(u -> u.withGroups(groups.getOrDefault(u.id(), List.of())))
                    .toList());
  }

  private Future<Map<UUID, List<MemberRef>>> groupsOf(
      SqlConnection conn, TenantContext t, List<UUID> userIds) {
    return conn.preparedQuery(GROUPS_OF)
        .execute(Tuple.of(t.tenantId(), (Object) userIds.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, List<MemberRef>> byUser = new HashMap<>();
              for (Row row : rows) {
                UUID groupId = row.getUUID(1);
                String display =
                    ResourceCodec.display(
                        t.keys(), ResourceKind.GROUP, groupId, row.getLong(2), row.getBuffer(3));
                byUser
                    .computeIfAbsent(row.getUUID(0), k -> new ArrayList<>())
                    .add(new MemberRef(groupId, "direct", display));
              }
              return byUser;
            });
  }

  static List<StoredResource> decodeAll(TenantKeys keys, RowSet<Row> rows) {
    List<StoredResource> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(decode(keys, row));
    }
    return out;
  }

  /** Rows of {@code sb_user_rows}: the user and the groups it is a direct member of. */
  private static List<StoredResource> decodeAll(
      TenantContext t, RowSet<Row> rows, boolean withGroups) {
    List<StoredResource> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(withGroups ? decodeWithGroups(t, row) : decode(t.keys(), row));
    }
    return out;
  }

  private static StoredResource decodeWithGroups(TenantContext t, Row row) {
    StoredResource user = decode(t.keys(), row);
    UUID[] ids = row.getArrayOfUUIDs("group_ids");
    if (ids == null) {
      return user.withGroups(List.of());
    }
    Long[] versions = row.getArrayOfLongs("group_versions");
    Buffer[] displays = row.getArrayOfBuffers("group_display_cts");
    List<MemberRef> groups = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      groups.add(
          new MemberRef(
              ids[i],
              "direct",
              ResourceCodec.display(
                  t.keys(), ResourceKind.GROUP, ids[i], versions[i], displays[i])));
    }
    return user.withGroups(groups);
  }

  static StoredResource decode(TenantKeys keys, Row row) {
    UUID id = row.getUUID("id");
    long version = row.getLong("version");
    return new StoredResource(
        ResourceKind.USER,
        id,
        version,
        StoreSupport.instant(row, "created_at"),
        StoreSupport.instant(row, "updated_at"),
        ResourceCodec.document(keys, ResourceKind.USER, id, version, row.getBuffer("resource_ct")),
        null,
        null);
  }

  private static ObjectNode payload(StoredResource user) {
    ObjectNode p = ScimJson.object();
    p.set("resource", user.document());
    return p;
  }

  private static ScimException notFound(UUID id) {
    return ScimException.notFound("User " + id + " not found.");
  }

  private static <T> Future<T> mapUniqueness(Throwable err) {
    if (StoreSupport.uniqueViolation(err).isPresent()) {
      return Future.failedFuture(
          ScimException.uniqueness("A user with this userName already exists."));
    }
    return Future.failedFuture(err);
  }

  /** Future.all fails with whichever failure completed first; report the statement's own. */
  static <T> Future<Void> firstFailure(io.vertx.core.AsyncResult<?> all, Future<?> primary) {
    if (primary.failed()) {
      return Future.failedFuture(primary.cause());
    }
    return all.succeeded() ? Future.succeededFuture() : Future.failedFuture(all.cause());
  }

  /** The blind indexes and display name of a user document. */
  private record Indexes(Buffer userName, Buffer externalId, Buffer[] emails, String display) {
    static Indexes of(BlindIndex index, ObjectNode doc) {
      String userName = doc.path("userName").asText("");
      JsonNode external = doc.get("externalId");
      Set<String> seen = new LinkedHashSet<>();
      List<Buffer> emails = new ArrayList<>();
      for (JsonNode email : doc.path("emails")) {
        String value = email.path("value").asText("");
        if (!value.isBlank() && seen.add(value.strip().toLowerCase(java.util.Locale.ROOT))) {
          emails.add(Buffer.buffer(index.caseInsensitive("emails.value", value)));
        }
      }
      String displayName = doc.path("displayName").asText("");
      return new Indexes(
          Buffer.buffer(index.caseInsensitive("userName", userName)),
          external == null || !external.isTextual() || external.asText().isEmpty()
              ? null
              : Buffer.buffer(index.caseExact("externalId", external.asText())),
          emails.toArray(Buffer[]::new),
          displayName.isBlank() ? userName : displayName);
    }
  }
}
