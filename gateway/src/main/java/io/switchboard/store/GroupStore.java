package io.switchboard.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.BlindIndex;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.feed.FeedWriter;
import io.switchboard.lifecycle.AccountLifecycle;
import io.switchboard.lifecycle.LifecyclePolicy;
import io.switchboard.lifecycle.ManagedGroups;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.tenant.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * SCIM groups of one tenant at a time, encrypted at rest, with membership as a table of ids changed
 * set-wise: adding or removing 1,000 members of a 100,000-member group touches 1,000 rows and never
 * loads the group's member list.
 *
 * <p>Usage: {@code groups.update(write, id, null, current -> doc, List.of(new MemberOp.Add(ids)))}.
 */
public final class GroupStore {
  static final String COLUMNS = "g.id, g.version, g.resource_ct, g.created_at, g.updated_at";

  private static final String INSERT =
      "insert into scim_groups (tenant_id, id, version, key_version, display_idx, external_idx,"
          + " display_ct, resource_ct, created_at, updated_at)"
          + " values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $8)";
  private static final String SELECT_ONE =
      "select " + COLUMNS + " from scim_groups g where g.tenant_id = $1 and g.id = $2";
  private static final String LOCK_ONE = SELECT_ONE + " for update";
  private static final String UPDATE =
      "update scim_groups set version = $3, key_version = $4, display_idx = $5,"
          + " external_idx = $6, display_ct = $7, resource_ct = $8, updated_at = $9"
          + " where tenant_id = $1 and id = $2";
  private static final String DELETE =
      "delete from scim_groups where tenant_id = $1 and id = $2 returning version, display_ct";
  private static final String DELETE_AS_MEMBER =
      "delete from group_members where tenant_id = $1 and member_id = $2";
  private static final String RESOLVE_MEMBERS =
      "select x.id, case"
          + " when exists (select 1 from scim_users u where u.tenant_id = $1 and u.id = x.id)"
          + " then 'User'"
          + " when exists (select 1 from scim_groups g where g.tenant_id = $1 and g.id = x.id)"
          + " then 'Group' end as member_type"
          + " from unnest($2::uuid[]) as x(id)";
  private static final String ADD_MEMBERS =
      "insert into group_members (tenant_id, group_id, member_id, member_type)"
          + " select $1, $2, m.id, m.t from unnest($3::uuid[], $4::text[]) as m(id, t)"
          + " on conflict do nothing returning member_id";
  private static final String REMOVE_MEMBERS =
      "delete from group_members where tenant_id = $1 and group_id = $2"
          + " and member_id = any($3::uuid[]) returning member_id";
  private static final String REMOVE_ALL =
      "delete from group_members where tenant_id = $1 and group_id = $2 returning member_id";
  private static final String REMOVE_ALL_EXCEPT =
      "delete from group_members where tenant_id = $1 and group_id = $2"
          + " and not (member_id = any($3::uuid[])) returning member_id";
  private static final String COUNT_MEMBERS_EXCEPT =
      "select count(*), count(*) filter (where not (member_id = any($3::uuid[])))"
          + " from group_members where tenant_id = $1 and group_id = $2";
  private static final String COUNT_MEMBERS =
      "select count(*) from group_members where tenant_id = $1 and group_id = $2";
  private static final String MEMBERS_OF =
      "select gm.group_id, gm.member_id, gm.member_type,"
          + " coalesce(u.version, g.version) as v, coalesce(u.display_ct, g.display_ct) as d"
          + " from group_members gm"
          + " left join scim_users u on gm.member_type = 'User'"
          + "   and u.tenant_id = gm.tenant_id and u.id = gm.member_id"
          + " left join scim_groups g on gm.member_type = 'Group'"
          + "   and g.tenant_id = gm.tenant_id and g.id = gm.member_id"
          + " where gm.tenant_id = $1 and gm.group_id = any($2::uuid[])"
          + " order by gm.group_id, gm.added_at, gm.member_id";
  private static final String GROUPS_HAVING_MEMBER =
      "select group_id from group_members where tenant_id = $1 and member_id = $2"
          + " and group_id = any($3::uuid[])";
  private static final String PAGE =
      "select "
          + COLUMNS
          + " from scim_groups g where g.tenant_id = $1 order by g.created_at, g.id"
          + " offset $2 limit $3";
  private static final String COUNT = "select count(*) from scim_groups where tenant_id = $1";
  private static final String BY_DISPLAY =
      "select " + COLUMNS + " from scim_groups g where g.tenant_id = $1 and g.display_idx = $2";
  private static final String BY_EXTERNAL_ID =
      "select " + COLUMNS + " from scim_groups g where g.tenant_id = $1 and g.external_idx = $2";
  private static final String BY_IDS =
      "select " + COLUMNS + " from scim_groups g where g.tenant_id = $1 and g.id = any($2::uuid[])";
  private static final String SCAN =
      "select "
          + COLUMNS
          + " from scim_groups g where g.tenant_id = $1 order by g.created_at, g.id limit $2";
  private static final String AUDIT_WARNING =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  /** A replace that removes more than this share of a group is flagged in the audit log. */
  static final double MASS_REMOVAL_SHARE = 0.5;

  private final Database db;
  private final Clock clock;

  public GroupStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** Inserts a validated document and its initial members; 409 if the displayName is taken. */
  public Future<StoredResource> create(WriteContext w, ObjectNode document, List<UUID> members) {
    TenantKeys keys = w.tenant().keys();
    UUID tenant = w.tenant().tenantId();
    UUID id = UUID.randomUUID();
    Instant now = StoreSupport.now(clock);
    Indexes ix = Indexes.of(keys.index(), document);
    StoredResource created =
        new StoredResource(ResourceKind.GROUP, id, 1, now, now, document, null, List.of());
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
                                ix.displayName,
                                ix.externalId,
                                ResourceCodec.display(keys, ResourceKind.GROUP, id, 1, ix.display),
                                ResourceCodec.document(keys, ResourceKind.GROUP, id, 1, document),
                                StoreSupport.odt(now)
                              }));
              Future<Void> locked = FeedWriter.lockWriters(conn, tenant);
              Future<LifecyclePolicy> policy = AccountLifecycle.policy(conn, tenant);
              return Future.all(locked, policy, insert)
                  .transform(r -> UserStore.firstFailure(r, insert))
                  .compose(v -> AccountGroups.bind(conn, tenant, id, ix.displayName))
                  .compose(
                      binding -> {
                        boolean managed = policy.result().manages(ix.display);
                        Future<Void> sync = ManagedGroups.set(conn, tenant, id, managed);
                        if (binding.linked()) {
                          return sync.compose(
                              v -> linked(conn, w, created, binding, members, managed));
                        }
                        Future<Void> log =
                            ChangeLog.record(
                                conn,
                                w,
                                new ChangeLog.Change(
                                    "group.created",
                                    ResourceKind.GROUP,
                                    id,
                                    1,
                                    payload(created)
                                        .put(
                                            "accountGroupId", binding.accountGroupId().toString())),
                                managed);
                        return Future.all(sync, log)
                            .compose(
                                v ->
                                    members.isEmpty()
                                        ? Future.succeededFuture()
                                        : applyMembers(
                                            conn,
                                            w,
                                            id,
                                            1,
                                            List.of(new MemberOp.Add(members)),
                                            managed))
                            .mapEmpty();
                      })
                  .compose(v -> membersOf(conn, w.tenant(), List.of(id)))
                  .map(m -> created.withMembers(m.getOrDefault(id, List.of())));
            })
        .recover(GroupStore::mapUniqueness);
  }

  /**
   * The new SCIM group took over an unlinked account group of the same name: its members are
   * applied without member events, then one {@code group.linked} carries the account group id, the
   * document and the full member list, so downstream keeps its existing group and sets its members.
   * An unmanaged group is audited only, as ever.
   */
  private Future<Void> linked(
      SqlConnection conn,
      WriteContext w,
      StoredResource created,
      AccountGroups.Binding binding,
      List<UUID> members,
      boolean managed) {
    UUID id = created.id();
    Future<Boolean> applied =
        members.isEmpty()
            ? Future.succeededFuture(false)
            : applyMembers(conn, w, id, 1, List.of(new MemberOp.Add(members)), false);
    return applied
        .compose(v -> membersOf(conn, w.tenant(), List.of(id)))
        .compose(
            byGroup -> {
              ObjectNode p = payload(created);
              p.put("accountGroupId", binding.accountGroupId().toString());
              ArrayNode arr = p.putArray("members");
              for (MemberRef m : byGroup.getOrDefault(id, List.of())) {
                arr.addObject().put("value", m.id().toString()).put("type", m.type());
              }
              return ChangeLog.record(
                  conn,
                  w,
                  new ChangeLog.Change("group.linked", ResourceKind.GROUP, id, 1, p),
                  managed);
            });
  }

  /** The group, with its members when {@code withMembers}; 404 if there is none. */
  public Future<StoredResource> get(TenantContext t, UUID id, boolean withMembers) {
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(SELECT_ONE)
                .execute(Tuple.of(t.tenantId(), id))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(notFound(id));
                      }
                      StoredResource group = decode(t.keys(), rows.iterator().next());
                      return withMembers(conn, t, List.of(group), withMembers)
                          .map(list -> list.get(0));
                    }));
  }

  /**
   * Changes a group under a row lock: the document by {@code change} (may return it unchanged),
   * then the member operations in order. Any change bumps the version. Returns the group with
   * members when {@code withMembers}.
   */
  public Future<StoredResource> update(
      WriteContext w,
      UUID id,
      Long ifMatch,
      Function<StoredResource, ObjectNode> change,
      List<MemberOp> memberOps,
      boolean withMembers) {
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
                          boolean docChanged = !next.equals(current.document());
                          long version = current.version() + 1;
                          // managed groups: the writer lock first, then group_sync (see FeedWriter)
                          Future<Void> locked = FeedWriter.lockWriters(conn, tenant);
                          Future<LifecyclePolicy> policy = AccountLifecycle.policy(conn, tenant);
                          Future<java.util.Optional<Boolean>> state =
                              ManagedGroups.state(conn, tenant, id);
                          return Future.all(locked, policy, state)
                              .compose(
                                  ready -> {
                                    boolean was = state.result().orElse(true);
                                    boolean is =
                                        policy
                                            .result()
                                            .manages(next.path("displayName").asText(""));
                                    boolean toFeed = was && is;
                                    Future<Boolean> members =
                                        memberOps.isEmpty()
                                            ? Future.succeededFuture(false)
                                            : applyMembers(conn, w, id, version, memberOps, toFeed);
                                    return members.compose(
                                        membersChanged -> {
                                          if (!docChanged && !membersChanged) {
                                            return Future.succeededFuture(current);
                                          }
                                          return writeDocument(
                                                  conn,
                                                  w,
                                                  current,
                                                  next,
                                                  version,
                                                  docChanged,
                                                  toFeed)
                                              .compose(
                                                  updated ->
                                                      was == is
                                                          ? Future.succeededFuture(updated)
                                                          : manageTransition(conn, w, updated, is)
                                                              .map(updated));
                                        });
                                  });
                        })
                    .compose(
                        group ->
                            withMembers(conn, t, List.of(group), withMembers)
                                .map(list -> list.get(0))))
        .recover(GroupStore::mapUniqueness);
  }

  private Future<StoredResource> writeDocument(
      SqlConnection conn,
      WriteContext w,
      StoredResource current,
      ObjectNode next,
      long version,
      boolean docChanged,
      boolean toFeed) {
    TenantKeys keys = w.tenant().keys();
    UUID tenant = w.tenant().tenantId();
    UUID id = current.id();
    Instant now = StoreSupport.now(clock);
    Indexes ix = Indexes.of(keys.index(), next);
    StoredResource updated =
        new StoredResource(
            ResourceKind.GROUP, id, version, current.created(), now, next, null, null);
    Future<RowSet<Row>> update =
        conn.preparedQuery(UPDATE)
            .execute(
                Tuple.from(
                    new Object[] {
                      tenant,
                      id,
                      version,
                      keys.cipher().currentVersion(),
                      ix.displayName,
                      ix.externalId,
                      ResourceCodec.display(keys, ResourceKind.GROUP, id, version, ix.display),
                      ResourceCodec.document(keys, ResourceKind.GROUP, id, version, next),
                      StoreSupport.odt(now)
                    }));
    if (!docChanged) {
      return update.map(updated);
    }
    boolean renamed =
        !current
            .document()
            .path("displayName")
            .asText("")
            .equals(next.path("displayName").asText(""));
    Future<Void> log =
        ChangeLog.record(
            conn,
            w,
            new ChangeLog.Change(
                renamed ? "group.renamed" : "group.updated",
                ResourceKind.GROUP,
                id,
                version,
                payload(updated)),
            toFeed);
    // the account group follows its SCIM group's name (a case-only change keeps the index)
    boolean reindexed =
        !java.util.Arrays.equals(
            ix.displayName.getBytes(),
            Indexes.of(keys.index(), current.document()).displayName.getBytes());
    Future<Void> account =
        reindexed
            ? update.compose(r -> AccountGroups.renamed(conn, tenant, id, ix.displayName))
            : Future.succeededFuture();
    return Future.all(update, log, account)
        .transform(r -> UserStore.firstFailure(r, update))
        .map(updated);
  }

  /** The group became managed (snapshot for downstream) or stopped being managed. */
  private Future<Void> manageTransition(
      SqlConnection conn, WriteContext w, StoredResource group, boolean managed) {
    UUID tenant = w.tenant().tenantId();
    Future<Void> sync = ManagedGroups.set(conn, tenant, group.id(), managed);
    if (!managed) {
      return sync.compose(
          v ->
              ManagedGroups.emitUnmanaged(
                  conn, w.tenant().keys(), w.requestId(), group.id(), group.version()));
    }
    return sync.compose(v -> membersOf(conn, w.tenant(), List.of(group.id())))
        .compose(
            byGroup -> {
              List<MemberRef> members = byGroup.getOrDefault(group.id(), List.of());
              return ManagedGroups.emitManaged(
                  conn,
                  w.tenant().keys(),
                  w.requestId(),
                  group.id(),
                  group.version(),
                  group.document(),
                  members.stream().map(MemberRef::id).toList(),
                  members.stream().map(MemberRef::type).toList());
            });
  }

  /**
   * Runs member operations in order and records the net change (one event for members added, one
   * for members removed). Returns whether membership changed.
   */
  private Future<Boolean> applyMembers(
      SqlConnection conn,
      WriteContext w,
      UUID groupId,
      long version,
      List<MemberOp> ops,
      boolean toFeed) {
    NetChange net = new NetChange();
    Future<Void> chain = Future.succeededFuture();
    for (MemberOp op : ops) {
      chain = chain.compose(v -> applyOne(conn, w, groupId, op, net));
    }
    return chain.compose(
        v -> {
          List<UUID> added = net.added();
          List<UUID> removed = net.removed();
          List<Future<?>> logs = new ArrayList<>();
          if (!added.isEmpty()) {
            logs.add(
                ChangeLog.record(
                    conn,
                    w,
                    new ChangeLog.Change(
                        "group.member.granted",
                        ResourceKind.GROUP,
                        groupId,
                        version,
                        membersPayload(added)),
                    toFeed));
          }
          if (!removed.isEmpty()) {
            logs.add(
                ChangeLog.record(
                    conn,
                    w,
                    new ChangeLog.Change(
                        "group.member.revoked",
                        ResourceKind.GROUP,
                        groupId,
                        version,
                        membersPayload(removed)),
                    toFeed));
          }
          return Future.all(logs).map(!added.isEmpty() || !removed.isEmpty());
        });
  }

  private Future<Void> applyOne(
      SqlConnection conn, WriteContext w, UUID groupId, MemberOp op, NetChange net) {
    UUID tenant = w.tenant().tenantId();
    if (op instanceof MemberOp.Add add) {
      return addMembers(conn, tenant, groupId, add.ids(), net);
    }
    if (op instanceof MemberOp.Remove remove) {
      return conn.preparedQuery(REMOVE_MEMBERS)
          .execute(Tuple.of(tenant, groupId, (Object) distinct(remove.ids()).toArray(UUID[]::new)))
          .map(
              rows -> {
                net.removed(remove.ids(), ids(rows));
                return null;
              });
    }
    if (op instanceof MemberOp.Replace replace) {
      return replaceMembers(conn, w, groupId, replace.ids(), net);
    }
    if (op instanceof MemberOp.AdditiveReplace additive) {
      List<UUID> ids = distinct(additive.ids());
      return conn.preparedQuery(COUNT_MEMBERS_EXCEPT)
          .execute(Tuple.of(tenant, groupId, (Object) ids.toArray(UUID[]::new)))
          .compose(
              counted -> {
                Row row = counted.iterator().next();
                long before = row.getLong(0);
                long wouldGo = row.getLong(1);
                Future<?> warning =
                    before >= 4 && wouldGo > before * MASS_REMOVAL_SHARE
                        ? conn.preparedQuery(AUDIT_WARNING)
                            .execute(
                                Tuple.of(
                                    tenant,
                                    w.actor(),
                                    "scim.group.members.mass_removal_prevented",
                                    "Group/" + groupId,
                                    w.requestId(),
                                    new JsonObject()
                                        .put("level", "warning")
                                        .put("membersBefore", before)
                                        .put("wouldHaveRemoved", wouldGo)
                                        .put("requested", ids.size())))
                        : Future.succeededFuture();
                return warning.compose(v -> addMembers(conn, tenant, groupId, ids, net));
              });
    }
    return conn.preparedQuery(REMOVE_ALL)
        .execute(Tuple.of(tenant, groupId))
        .map(
            rows -> {
              Set<UUID> gone = ids(rows);
              net.removed(gone, gone);
              return null;
            });
  }

  private Future<Void> addMembers(
      SqlConnection conn, UUID tenant, UUID groupId, List<UUID> requested, NetChange net) {
    List<UUID> ids = distinct(requested);
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    if (ids.contains(groupId)) {
      return Future.failedFuture(ScimException.invalidValue("A group cannot be its own member."));
    }
    return conn.preparedQuery(RESOLVE_MEMBERS)
        .execute(Tuple.of(tenant, (Object) ids.toArray(UUID[]::new)))
        .compose(
            rows -> {
              List<UUID> found = new ArrayList<>();
              List<String> types = new ArrayList<>();
              List<UUID> missing = new ArrayList<>();
              for (Row row : rows) {
                String type = row.getString("member_type");
                if (type == null) {
                  missing.add(row.getUUID("id"));
                } else {
                  found.add(row.getUUID("id"));
                  types.add(type);
                }
              }
              if (!missing.isEmpty()) {
                return Future.failedFuture(
                    ScimException.invalidValue(
                        "No user or group with id "
                            + missing.subList(0, Math.min(5, missing.size()))
                            + (missing.size() > 5 ? " and " + (missing.size() - 5) + " more" : "")
                            + "; members must exist before they are added."));
              }
              return conn.preparedQuery(ADD_MEMBERS)
                  .execute(
                      Tuple.of(
                          tenant,
                          groupId,
                          found.toArray(UUID[]::new),
                          types.toArray(String[]::new)))
                  .map(
                      inserted -> {
                        net.added(found, ids(inserted));
                        return null;
                      });
            });
  }

  private Future<Void> replaceMembers(
      SqlConnection conn, WriteContext w, UUID groupId, List<UUID> requested, NetChange net) {
    UUID tenant = w.tenant().tenantId();
    List<UUID> ids = distinct(requested);
    return conn.preparedQuery(COUNT_MEMBERS)
        .execute(Tuple.of(tenant, groupId))
        .compose(
            counted -> {
              long before = counted.iterator().next().getLong(0);
              return conn.preparedQuery(REMOVE_ALL_EXCEPT)
                  .execute(Tuple.of(tenant, groupId, (Object) ids.toArray(UUID[]::new)))
                  .compose(
                      rows -> {
                        Set<UUID> gone = ids(rows);
                        net.removed(gone, gone);
                        Future<?> warning =
                            before >= 4 && gone.size() > before * MASS_REMOVAL_SHARE
                                ? conn.preparedQuery(AUDIT_WARNING)
                                    .execute(
                                        Tuple.of(
                                            tenant,
                                            w.actor(),
                                            "scim.group.members.mass_removal",
                                            "Group/" + groupId,
                                            w.requestId(),
                                            new JsonObject()
                                                .put("level", "warning")
                                                .put("membersBefore", before)
                                                .put("removed", gone.size())
                                                .put("requested", ids.size())))
                                : Future.succeededFuture();
                        return warning.compose(v -> addMembers(conn, tenant, groupId, ids, net));
                      });
            });
  }

  /** Deletes a group, its memberships and its place in other groups; 404 if there is none. */
  public Future<Void> delete(WriteContext w, UUID id, Long ifMatch) {
    UUID tenant = w.tenant().tenantId();
    return db.inTenant(
        tenant,
        conn ->
            // the writer lock before the cascade reaches group_sync (see FeedWriter); a group
            // that was never managed is still announced as deleted, which downstream ignores
            FeedWriter.lockWriters(conn, tenant)
                .compose(locked -> conn.preparedQuery(DELETE).execute(Tuple.of(tenant, id)))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(notFound(id));
                      }
                      Row row = rows.iterator().next();
                      long version = row.getLong("version");
                      StoreSupport.checkIfMatch(ifMatch, version);
                      TenantKeys keys = w.tenant().keys();
                      String name =
                          ResourceCodec.display(
                              keys, ResourceKind.GROUP, id, version, row.getBuffer("display_ct"));
                      Future<RowSet<Row>> asMember =
                          conn.preparedQuery(DELETE_AS_MEMBER).execute(Tuple.of(tenant, id));
                      // the account keeps the group, unlinked, or erases it (hardDelete policy);
                      // the foreign key from account_groups is checked at commit
                      Future<Void> log =
                          AccountGroups.eraseOnDelete(conn, tenant)
                              .compose(
                                  erase ->
                                      AccountGroups.deleted(conn, keys, id, name, erase)
                                          .compose(
                                              account -> {
                                                ObjectNode p = ScimJson.object();
                                                p.put("disposition", erase ? "erased" : "kept");
                                                account.ifPresent(
                                                    a -> p.put("accountGroupId", a.toString()));
                                                return ChangeLog.record(
                                                    conn,
                                                    w,
                                                    new ChangeLog.Change(
                                                        "group.deleted",
                                                        ResourceKind.GROUP,
                                                        id,
                                                        version,
                                                        p));
                                              }));
                      return Future.all(asMember, log).mapEmpty();
                    }));
  }

  public Future<Page> page(TenantContext t, int offset, int limit, boolean withMembers) {
    return db.inTenant(
        t.tenantId(),
        conn -> {
          Future<RowSet<Row>> count = conn.preparedQuery(COUNT).execute(Tuple.of(t.tenantId()));
          Future<List<StoredResource>> page =
              limit == 0
                  ? Future.succeededFuture(List.of())
                  : conn.preparedQuery(PAGE)
                      .execute(Tuple.of(t.tenantId(), offset, limit))
                      .compose(
                          rows -> withMembers(conn, t, decodeAll(t.keys(), rows), withMembers));
          return Future.all(count, page)
              .map(v -> new Page(count.result().iterator().next().getLong(0), page.result()));
        });
  }

  public Future<List<StoredResource>> byIndex(
      TenantContext t, IndexedAttribute attribute, String value, boolean withMembers) {
    BlindIndex index = t.keys().index();
    String sql;
    Buffer key;
    switch (attribute) {
      case DISPLAY_NAME -> {
        sql = BY_DISPLAY;
        key = Buffer.buffer(index.caseInsensitive("displayName", value));
      }
      case EXTERNAL_ID -> {
        sql = BY_EXTERNAL_ID;
        key = Buffer.buffer(index.caseExact("externalId", value));
      }
      default -> throw new IllegalArgumentException("not a group index: " + attribute);
    }
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(sql)
                .execute(Tuple.of(t.tenantId(), key))
                .compose(rows -> withMembers(conn, t, decodeAll(t.keys(), rows), withMembers)));
  }

  public Future<List<StoredResource>> byIds(
      TenantContext t, Collection<UUID> ids, boolean withMembers) {
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(BY_IDS)
                .execute(Tuple.of(t.tenantId(), (Object) ids.toArray(UUID[]::new)))
                .compose(rows -> withMembers(conn, t, decodeAll(t.keys(), rows), withMembers)));
  }

  public Future<List<StoredResource>> scan(TenantContext t, int limit, boolean withMembers) {
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(SCAN)
                .execute(Tuple.of(t.tenantId(), limit))
                .compose(rows -> withMembers(conn, t, decodeAll(t.keys(), rows), withMembers)));
  }

  /** Which of {@code groupIds} have {@code memberId} as a direct member (Entra's probe). */
  public Future<Set<UUID>> groupsHavingMember(
      TenantContext t, UUID memberId, Collection<UUID> groupIds) {
    return db.inTenant(
        t.tenantId(),
        conn ->
            conn.preparedQuery(GROUPS_HAVING_MEMBER)
                .execute(Tuple.of(t.tenantId(), memberId, (Object) groupIds.toArray(UUID[]::new)))
                .map(GroupStore::ids));
  }

  public Future<List<StoredResource>> attachMembers(TenantContext t, List<StoredResource> groups) {
    return db.inTenant(t.tenantId(), conn -> withMembers(conn, t, groups, true));
  }

  private Future<List<StoredResource>> withMembers(
      SqlConnection conn, TenantContext t, List<StoredResource> groups, boolean wanted) {
    if (!wanted || groups.isEmpty()) {
      return Future.succeededFuture(groups);
    }
    return membersOf(conn, t, groups.stream().map(StoredResource::id).toList())
        .map(
            members ->
                groups.stream()
                    .map(g -> g.withMembers(members.getOrDefault(g.id(), List.of())))
                    .toList());
  }

  private Future<Map<UUID, List<MemberRef>>> membersOf(
      SqlConnection conn, TenantContext t, List<UUID> groupIds) {
    return conn.preparedQuery(MEMBERS_OF)
        .execute(Tuple.of(t.tenantId(), (Object) groupIds.toArray(UUID[]::new)))
        .map(
            rows -> {
              Map<UUID, List<MemberRef>> byGroup = new HashMap<>();
              for (Row row : rows) {
                UUID member = row.getUUID("member_id");
                String type = row.getString("member_type");
                ResourceKind kind = "User".equals(type) ? ResourceKind.USER : ResourceKind.GROUP;
                Long v = row.getLong("v");
                String display =
                    v == null
                        ? null
                        : ResourceCodec.display(t.keys(), kind, member, v, row.getBuffer("d"));
                byGroup
                    .computeIfAbsent(row.getUUID("group_id"), k -> new ArrayList<>())
                    .add(new MemberRef(member, type, display));
              }
              return byGroup;
            });
  }

  static List<StoredResource> decodeAll(TenantKeys keys, RowSet<Row> rows) {
    List<StoredResource> out = new ArrayList<>(rows.size());
    for (Row row : rows) {
      out.add(decode(keys, row));
    }
    return out;
  }

  static StoredResource decode(TenantKeys keys, Row row) {
    UUID id = row.getUUID("id");
    long version = row.getLong("version");
    return new StoredResource(
        ResourceKind.GROUP,
        id,
        version,
        StoreSupport.instant(row, "created_at"),
        StoreSupport.instant(row, "updated_at"),
        ResourceCodec.document(keys, ResourceKind.GROUP, id, version, row.getBuffer("resource_ct")),
        null,
        null);
  }

  private static Set<UUID> ids(RowSet<Row> rows) {
    Set<UUID> out = new LinkedHashSet<>();
    for (Row row : rows) {
      out.add(row.getUUID(0));
    }
    return out;
  }

  private static List<UUID> distinct(List<UUID> ids) {
    return List.copyOf(new LinkedHashSet<>(ids));
  }

  private static ObjectNode payload(StoredResource group) {
    ObjectNode p = ScimJson.object();
    p.set("resource", group.document());
    return p;
  }

  private static ObjectNode membersPayload(List<UUID> ids) {
    ObjectNode p = ScimJson.object();
    ArrayNode arr = p.putArray("members");
    ids.forEach(id -> arr.add(id.toString()));
    return p;
  }

  private static ScimException notFound(UUID id) {
    return ScimException.notFound("Group " + id + " not found.");
  }

  private static <T> Future<T> mapUniqueness(Throwable err) {
    if (StoreSupport.uniqueViolation(err).isPresent()) {
      return Future.failedFuture(
          ScimException.uniqueness("A group with this displayName already exists."));
    }
    return Future.failedFuture(err);
  }

  /**
   * Net effect of several member operations in one request, from what each statement actually
   * changed: a member added then removed again is neither.
   */
  private static final class NetChange {
    // id -> {was a member before the request, is a member now}
    private final Map<UUID, boolean[]> state = new LinkedHashMap<>();

    void added(Collection<UUID> requested, Set<UUID> inserted) {
      for (UUID id : requested) {
        boolean[] s = state.computeIfAbsent(id, k -> new boolean[] {!inserted.contains(k), false});
        s[1] = true;
      }
    }

    void removed(Collection<UUID> requested, Set<UUID> deleted) {
      for (UUID id : requested) {
        boolean[] s = state.computeIfAbsent(id, k -> new boolean[] {deleted.contains(k), false});
        s[1] = false;
      }
    }

    List<UUID> added() {
      return state.entrySet().stream()
          .filter(e -> !e.getValue()[0] && e.getValue()[1])
          .map(Map.Entry::getKey)
          .toList();
    }

    List<UUID> removed() {
      return state.entrySet().stream()
          .filter(e -> e.getValue()[0] && !e.getValue()[1])
          .map(Map.Entry::getKey)
          .toList();
    }
  }

  private record Indexes(Buffer displayName, Buffer externalId, String display) {
    static Indexes of(BlindIndex index, ObjectNode doc) {
      String displayName = doc.path("displayName").asText("");
      JsonNode external = doc.get("externalId");
      return new Indexes(
          Buffer.buffer(index.caseInsensitive("displayName", displayName)),
          external == null || !external.isTextual() || external.asText().isEmpty()
              ? null
              : Buffer.buffer(index.caseExact("externalId", external.asText())),
          displayName);
    }
  }
}
