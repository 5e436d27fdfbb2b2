package io.switchboard.lifecycle;

import io.switchboard.crypto.TenantKeys;
import io.switchboard.feed.FeedWriter;
import io.switchboard.feed.TenantKeyring;
import io.switchboard.store.Database;
import io.switchboard.store.FeedSnapshots;
import io.switchboard.store.MemberRef;
import io.switchboard.store.StoredResource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background lifecycle work, safe to run on every gateway instance at once:
 *
 * <ul>
 *   <li>the confirmer: invitations whose tenant confirms on an interval become {@code active}
 *       ({@code user.confirmed}, reason {@code interval}) once their time has come;
 *   <li>the managed-groups reconciler: when an operator changes a tenant's {@code managedGroups},
 *       groups entering the selection are announced with {@code group.managed} (document and
 *       members) and groups leaving it with {@code group.unmanaged}.
 * </ul>
 *
 * Both take the tenant's writer lock first (see {@link FeedWriter#lockWriters}), so two instances
 * doing the same tenant's work serialise and the second finds nothing left to do.
 *
 * <p>Usage: {@code LifecycleWorker.start(vertx, db, keyring, Duration.ofSeconds(5))}.
 */
public final class LifecycleWorker {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleWorker.class);
  private static final String DUE_TENANTS = "select tenant_id from sb_tenants_due_confirmation($1)";
  private static final String CONFIRM =
      "update accounts a set status = 'active', confirmed_at = now(), confirmed_by = 'interval',"
          + " confirm_after = null, updated_at = now()"
          + " where a.tenant_id = $1 and a.status = 'invited' and a.confirm_after <= now()"
          + " returning a.user_id, (select u.version from scim_users u"
          + " where u.tenant_id = a.tenant_id and u.id = a.user_id) as version";
  private static final String TO_RECONCILE = "select tenant_id from sb_tenants_to_reconcile($1)";
  private static final String SETTINGS =
      "select settings, sb_managed_groups_digest(settings) as digest from tenants where id = $1";
  private static final String APPLIED =
      "select managed_groups_digest from lifecycle_state where tenant_id = $1 for update";
  private static final String SYNC_STATE =
      "select group_id, managed from group_sync where tenant_id = $1";
  private static final String SAVE_APPLIED =
      "insert into lifecycle_state (tenant_id, managed_groups_digest) values ($1, $2)"
          + " on conflict (tenant_id) do update set managed_groups_digest = excluded.managed_groups_digest,"
          + " reconciled_at = now()";

  private final Vertx vertx;
  private final Database db;
  private final TenantKeyring keyring;
  private final Duration tick;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private long timer = -1;

  private LifecycleWorker(Vertx vertx, Database db, TenantKeyring keyring, Duration tick) {
    this.vertx = vertx;
    this.db = db;
    this.keyring = keyring;
    this.tick = tick;
  }

  /** Starts the periodic work; {@code tick} is how often due work is looked for. */
  public static LifecycleWorker start(
      Vertx vertx, Database db, TenantKeyring keyring, Duration tick) {
    LifecycleWorker worker = new LifecycleWorker(vertx, db, keyring, tick);
    worker.schedule();
    return worker;
  }

  private void schedule() {
    if (running.get()) {
      timer = vertx.setTimer(tick.toMillis(), id -> runOnce().onComplete(r -> schedule()));
    }
  }

  /** One pass: confirm what is due, reconcile what changed. Returns how many changes it made. */
  public Future<Integer> runOnce() {
    return confirmDue()
        .compose(confirmed -> reconcileChanged().map(reconciled -> confirmed + reconciled))
        .onFailure(e -> LOG.warn("lifecycle pass failed: {}", e.toString()));
  }

  /** Confirms due invitations across tenants; returns how many. */
  public Future<Integer> confirmDue() {
    return db.pool()
        .withTransaction(conn -> conn.preparedQuery(DUE_TENANTS).execute(Tuple.of(100)))
        .compose(rows -> sequentially(ids(rows), this::confirmTenant));
  }

  private Future<Integer> confirmTenant(UUID tenantId) {
    return keyring
        .keys(tenantId)
        .compose(
            keys ->
                db.inTenant(
                    tenantId,
                    conn ->
                        FeedWriter.lockWriters(conn, tenantId)
                            .compose(v -> conn.preparedQuery(CONFIRM).execute(Tuple.of(tenantId)))
                            .compose(
                                rows -> {
                                  List<Future<Void>> events = new ArrayList<>();
                                  for (Row row : rows) {
                                    Long version = row.getLong("version");
                                    events.add(
                                        AccountLifecycle.append(
                                            conn,
                                            keys,
                                            "lifecycle-confirmer",
                                            "user.confirmed",
                                            row.getUUID("user_id"),
                                            version == null ? 0 : version,
                                            AccountLifecycle.reason("interval")));
                                  }
                                  return Future.all(events).map(rows.size());
                                })));
  }

  /** Applies changed managed-groups selections; returns how many groups changed state. */
  public Future<Integer> reconcileChanged() {
    return db.pool()
        .withTransaction(conn -> conn.preparedQuery(TO_RECONCILE).execute(Tuple.of(100)))
        .compose(rows -> sequentially(ids(rows), this::reconcile));
  }

  /** Brings one tenant's groups in line with its managedGroups setting. */
  public Future<Integer> reconcile(UUID tenantId) {
    return keyring
        .keys(tenantId)
        .compose(
            keys ->
                db.inTenant(
                    tenantId,
                    conn ->
                        FeedWriter.lockWriters(conn, tenantId)
                            .compose(v -> conn.preparedQuery(SETTINGS).execute(Tuple.of(tenantId)))
                            .compose(
                                settingsRows -> {
                                  Row row = settingsRows.iterator().next();
                                  Object raw = row.getValue("settings");
                                  LifecyclePolicy policy =
                                      LifecyclePolicy.fromSettings(
                                          raw instanceof JsonObject j ? j : new JsonObject());
                                  String digest = row.getString("digest");
                                  return conn.preparedQuery(APPLIED)
                                      .execute(Tuple.of(tenantId))
                                      .compose(
                                          applied -> {
                                            if (applied.size() > 0
                                                && digest.equals(
                                                    applied.iterator().next().getString(0))) {
                                              return Future.succeededFuture(0);
                                            }
                                            return apply(conn, keys, policy)
                                                .compose(
                                                    n ->
                                                        conn.preparedQuery(SAVE_APPLIED)
                                                            .execute(Tuple.of(tenantId, digest))
                                                            .map(n));
                                          });
                                })));
  }

  private Future<Integer> apply(SqlConnection conn, TenantKeys keys, LifecyclePolicy policy) {
    UUID tenantId = keys.tenantId();
    Future<List<StoredResource>> groups = FeedSnapshots.groups(conn, keys);
    Future<Map<UUID, Boolean>> state =
        conn.preparedQuery(SYNC_STATE)
            .execute(Tuple.of(tenantId))
            .map(
                rows -> {
                  Map<UUID, Boolean> m = new HashMap<>();
                  for (Row r : rows) {
                    m.put(r.getUUID("group_id"), r.getBoolean("managed"));
                  }
                  return m;
                });
    return Future.all(groups, state)
        .compose(
            v -> {
              List<Future<Void>> changes = new ArrayList<>();
              for (StoredResource g : groups.result()) {
                boolean was = state.result().getOrDefault(g.id(), true);
                boolean is = policy.manages(g.document().path("displayName").asText(""));
                if (was == is) {
                  continue;
                }
                Future<Void> set = ManagedGroups.set(conn, tenantId, g.id(), is);
                Future<Void> event =
                    is
                        ? ManagedGroups.emitManaged(
                            conn,
                            keys,
                            "lifecycle-reconciler",
                            g.id(),
                            g.version(),
                            g.document(),
                            g.members().stream().map(MemberRef::id).toList(),
                            g.members().stream().map(MemberRef::type).toList())
                        : ManagedGroups.emitUnmanaged(
                            conn, keys, "lifecycle-reconciler", g.id(), g.version());
                changes.add(set);
                changes.add(event);
              }
              return Future.all(changes).map(changes.size() / 2);
            });
  }

  private static List<UUID> ids(io.vertx.sqlclient.RowSet<Row> rows) {
    List<UUID> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(r.getUUID(0));
    }
    return out;
  }

  /** One tenant after another; a tenant that fails is logged and skipped. */
  private static Future<Integer> sequentially(
      List<UUID> tenants, java.util.function.Function<UUID, Future<Integer>> work) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (UUID t : tenants) {
      chain =
          chain.compose(
              n ->
                  work.apply(t)
                      .recover(
                          e -> {
                            LOG.warn("lifecycle work for tenant {} failed: {}", t, e.toString());
                            return Future.succeededFuture(0);
                          })
                      .map(m -> n + m));
    }
    return chain;
  }

  public Future<Void> stop() {
    running.set(false);
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}
