package io.switchboard.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionStore;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.tenant.Invalidations;
import io.switchboard.tenant.TenantProvisioning;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotates a tenant's account key: a new key version goes into the scimsession (check-and-set, every
 * instance told at once), so new writes use it straight away; then every row still under an older
 * version is re-encrypted in the background, a batch per transaction; when no row references an old
 * version any more, that version leaves the session. Rows stay readable throughout, since each
 * ciphertext names its key version. Running it again after a crash continues where it stopped.
 *
 * <p>A version that is still the session's index key (blind indexes are keyed by it) stays in the
 * session after its data are re-encrypted; the status reports it as {@code retainedForIndex}.
 *
 * <p>Usage: {@code rotation.start(tenantId)} (returns the status at once, work continues); {@code
 * rotation.status(tenantId)}.
 */
public final class AccountKeyRotation {
  private static final Logger LOG = LoggerFactory.getLogger(AccountKeyRotation.class);
  private static final int CAS_ATTEMPTS = 5;
  private static final int MAX_PASSES = 20;

  static final String COUNT_BY_VERSION =
      "select 'users' as t, key_version, count(*) as n from scim_users where tenant_id = $1"
          + " group by key_version union all"
          + " select 'groups', key_version, count(*) from scim_groups where tenant_id = $1"
          + " group by key_version union all"
          + " select 'events', key_version, count(*) from provisioning_events where tenant_id = $1"
          + " group by key_version union all"
          + " select 'accountGroups', key_version, count(*) from account_groups"
          + " where tenant_id = $1 and key_version is not null group by key_version";
  // only unlinked account groups hold a name of their own (see AccountGroups)
  static final String ACCOUNT_GROUPS_BATCH =
      "select id, key_version, display_ct from account_groups"
          + " where tenant_id = $1 and key_version <> $2 and id > $3 order by id limit $4"
          + " for update skip locked";
  static final String UPDATE_ACCOUNT_GROUP =
      "update account_groups set key_version = $3, display_ct = $4"
          + " where tenant_id = $1 and id = $2 and key_version = $5";
  static final String USERS_BATCH =
      "select id, version, key_version, display_ct, resource_ct from scim_users"
          + " where tenant_id = $1 and key_version <> $2 and id > $3 order by id limit $4"
          + " for update skip locked";
  static final String GROUPS_BATCH =
      "select id, version, key_version, display_ct, resource_ct from scim_groups"
          + " where tenant_id = $1 and key_version <> $2 and id > $3 order by id limit $4"
          + " for update skip locked";
  static final String UPDATE_USER =
      "update scim_users set key_version = $4, display_ct = $5, resource_ct = $6"
          + " where tenant_id = $1 and id = $2 and version = $3 and key_version = $7";
  static final String UPDATE_GROUP =
      "update scim_groups set key_version = $4, display_ct = $5, resource_ct = $6"
          + " where tenant_id = $1 and id = $2 and version = $3 and key_version = $7";
  static final String EVENTS_BATCH =
      "select event_id, event_type, resource_id, resource_version, key_version, payload_ct"
          + " from provisioning_events where tenant_id = $1 and key_version <> $2"
          + " and event_id > $3 order by event_id limit $4 for update skip locked";
  static final String UPDATE_EVENT =
      "update provisioning_events set key_version = $3, payload_ct = $4"
          + " where tenant_id = $1 and event_id = $2 and key_version = $5";

  /**
   * @param batchSize rows re-encrypted per transaction
   * @param settle how long to let every instance pick up a session change before relying on it (the
   *     change is announced with NOTIFY; this covers requests already in flight)
   */
  public record Options(int batchSize, Duration settle) {
    public static Options defaults() {
      return new Options(500, Duration.ofSeconds(5));
    }
  }

  /** Rows per key version, per table and in all, and what the rotation is doing. */
  public record KeyStatus(
      UUID tenantId,
      int currentVersion,
      int indexVersion,
      Set<Integer> sessionVersions,
      Map<String, Map<Integer, Long>> rowsByTable,
      Map<Integer, Long> rowsByVersion,
      long rowsToReencrypt,
      Set<Integer> retainedForIndex,
      String state,
      String lastError) {
    public static final String IDLE = "idle";
    public static final String RUNNING = "running";

    /** Old rows or keys are left and nothing is working on them here (an interrupted run). */
    public static final String PENDING = "pending";
  }

  private final Vertx vertx;
  private final Database db;
  private final SessionStore sessions;
  private final TenantProvisioning provisioning;
  private final Options options;
  private final Map<UUID, Future<KeyStatus>> running = new ConcurrentHashMap<>();
  private final Map<UUID, String> lastErrors = new ConcurrentHashMap<>();

  private AccountKeyRotation(
      Vertx vertx,
      Database db,
      SessionStore sessions,
      TenantProvisioning provisioning,
      Options options) {
    this.vertx = vertx;
    this.db = db;
    this.sessions = sessions;
    this.provisioning = provisioning;
    this.options = options;
  }

  public static AccountKeyRotation create(
      Vertx vertx,
      Database db,
      SessionStore sessions,
      TenantProvisioning provisioning,
      Options options) {
    return new AccountKeyRotation(vertx, db, sessions, provisioning, options);
  }

  /**
   * Starts a rotation, or resumes one that is pending (then no further key is added), and returns
   * the status once the new key is in the session; re-encryption goes on in the background.
   */
  public Future<KeyStatus> start(UUID tenantId) {
    if (running.containsKey(tenantId)) {
      return status(tenantId);
    }
    return status(tenantId)
        .compose(
            before -> {
              Future<Void> key =
                  KeyStatus.PENDING.equals(before.state())
                      ? Future.succeededFuture()
                      : addKey(tenantId);
              return key.compose(
                  v -> {
                    background(tenantId);
                    return status(tenantId);
                  });
            });
  }

  /** Rotates and waits for the whole rotation to finish (tests, the CLI's {@code --wait}). */
  public Future<KeyStatus> rotateAndWait(UUID tenantId) {
    return start(tenantId).compose(s -> completion(tenantId));
  }

  /** Continues an interrupted rotation without adding a key, and waits for it. */
  public Future<KeyStatus> resume(UUID tenantId) {
    background(tenantId);
    return completion(tenantId);
  }

  /** The running rotation's outcome, or the status now if none runs here. */
  public Future<KeyStatus> completion(UUID tenantId) {
    Future<KeyStatus> run = running.get(tenantId);
    return run == null ? status(tenantId) : run.transform(ignored -> status(tenantId));
  }

  public Future<KeyStatus> status(UUID tenantId) {
    return Future.all(readSession(tenantId), counts(tenantId))
        .map(
            all -> {
              ScimSession session = all.resultAt(0);
              Map<String, Map<Integer, Long>> byTable = all.resultAt(1);
              return status(tenantId, session, byTable);
            });
  }

  private KeyStatus status(
      UUID tenantId, ScimSession session, Map<String, Map<Integer, Long>> byTable) {
    int current = session.currentKeyVersion();
    Map<Integer, Long> byVersion = new TreeMap<>();
    byTable.values().forEach(m -> m.forEach((v, n) -> byVersion.merge(v, n, Long::sum)));
    long toDo =
        byVersion.entrySet().stream()
            .filter(e -> e.getKey() != current)
            .mapToLong(Map.Entry::getValue)
            .sum();
    Set<Integer> retained = new TreeSet<>();
    if (session.indexKeyVersion() != current && !byVersion.containsKey(session.indexKeyVersion())) {
      retained.add(session.indexKeyVersion());
    }
    boolean droppable = !droppable(session, byVersion.keySet()).isEmpty();
    String state =
        running.containsKey(tenantId)
            ? KeyStatus.RUNNING
            : (toDo > 0 || droppable ? KeyStatus.PENDING : KeyStatus.IDLE);
    return new KeyStatus(
        tenantId,
        current,
        session.indexKeyVersion(),
        new TreeSet<>(session.accountKeys().keySet()),
        byTable,
        byVersion,
        toDo,
        retained,
        state,
        lastErrors.get(tenantId));
  }

  /** Versions no row uses that may leave the session (never the current or index key). */
  private static Set<Integer> droppable(ScimSession session, Set<Integer> inUse) {
    Set<Integer> out = new TreeSet<>();
    for (int v : session.accountKeys().keySet()) {
      if (v != session.currentKeyVersion()
          && v != session.indexKeyVersion()
          && !inUse.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  private Future<Void> addKey(UUID tenantId) {
    Clock clock = Clock.systemUTC();
    return provisioning
        .tenantRef(tenantId)
        .compose(
            ref ->
                provisioning.updateSession(
                    ref, s -> s.withNewAccountKey(clock.instant()), CAS_ATTEMPTS))
        .compose(v -> announce(tenantId))
        .onSuccess(v -> LOG.info("tenant {}: new account key version in the session", tenantId));
  }

  private Future<Void> announce(UUID tenantId) {
    return Invalidations.notify(db.pool(), Invalidations.session(tenantId));
  }

  private synchronized void background(UUID tenantId) {
    if (running.containsKey(tenantId)) {
      return;
    }
    lastErrors.remove(tenantId);
    Promise<KeyStatus> done = Promise.promise();
    running.put(tenantId, done.future());
    sleep(options.settle())
        .compose(v -> reencrypt(tenantId, 0))
        .onComplete(
            ar -> {
              running.remove(tenantId);
              if (ar.failed()) {
                // the message names what failed, never a key or a value
                lastErrors.put(tenantId, String.valueOf(ar.cause().getMessage()));
                LOG.warn(
                    "tenant {}: account-key rotation stopped: {}",
                    tenantId,
                    ar.cause().getClass().getSimpleName());
                done.fail(ar.cause());
              } else {
                LOG.info("tenant {}: account-key rotation complete", tenantId);
                done.complete(ar.result());
              }
            });
  }

  /**
   * One pass over the four tables; passes repeat until one finds nothing to do after the settle
   * time (a request that began before the new key was announced may still write the old one).
   */
  private Future<KeyStatus> reencrypt(UUID tenantId, int pass) {
    if (pass >= MAX_PASSES) {
      return Future.failedFuture(
          new IllegalStateException("rows still under an old key after " + pass + " passes"));
    }
    return readSession(tenantId)
        .compose(
            session -> {
              TenantKeys keys = TenantKeys.derive(session);
              return resources(tenantId, keys, ResourceKind.USER, new UUID(0, 0), 0)
                  .compose(
                      n ->
                          resources(tenantId, keys, ResourceKind.GROUP, new UUID(0, 0), 0)
                              .map(m -> n + m))
                  .compose(n -> events(tenantId, keys, 0L, 0).map(m -> n + m))
                  .compose(n -> accountGroups(tenantId, keys, new UUID(0, 0), 0).map(m -> n + m));
            })
        .compose(
            done ->
                done > 0
                    ? reencrypt(tenantId, pass + 1)
                    : sleep(options.settle()).compose(v -> finish(tenantId, pass)));
  }

  /** Drops unused versions if nothing old appeared meanwhile; otherwise another pass. */
  private Future<KeyStatus> finish(UUID tenantId, int pass) {
    return Future.all(readSession(tenantId), counts(tenantId))
        .compose(
            all -> {
              ScimSession session = all.resultAt(0);
              Map<String, Map<Integer, Long>> byTable = all.resultAt(1);
              KeyStatus now = status(tenantId, session, byTable);
              if (now.rowsToReencrypt() > 0) {
                return reencrypt(tenantId, pass + 1);
              }
              Set<Integer> drop = droppable(session, now.rowsByVersion().keySet());
              if (drop.isEmpty()) {
                return Future.succeededFuture(now);
              }
              return provisioning
                  .tenantRef(tenantId)
                  .compose(
                      ref ->
                          provisioning.updateSession(
                              ref,
                              s -> {
                                ScimSession next = s;
                                for (int v : droppable(s, now.rowsByVersion().keySet())) {
                                  next = next.withoutAccountKey(v);
                                }
                                return next;
                              },
                              CAS_ATTEMPTS))
                  .compose(v -> announce(tenantId))
                  .onSuccess(
                      v -> LOG.info("tenant {}: account key versions {} dropped", tenantId, drop))
                  .compose(v -> status(tenantId));
            });
  }

  /** Re-encrypts users or groups in batches of {@code batchSize}, in id order; the count. */
  private Future<Integer> resources(
      UUID tenantId, TenantKeys keys, ResourceKind kind, UUID after, int doneSoFar) {
    int current = keys.cipher().currentVersion();
    return inBatches(
        tenantId,
        current,
        kind == ResourceKind.USER ? USERS_BATCH : GROUPS_BATCH,
        kind == ResourceKind.USER ? UPDATE_USER : UPDATE_GROUP,
        after,
        doneSoFar,
        row -> row.getUUID("id"),
        row -> {
          UUID id = row.getUUID("id");
          long version = row.getLong("version");
          ObjectNode doc =
              ResourceCodec.document(keys, kind, id, version, row.getBuffer("resource_ct"));
          String display =
              ResourceCodec.display(keys, kind, id, version, row.getBuffer("display_ct"));
          return Tuple.of(
              tenantId,
              id,
              version,
              current,
              display == null ? null : ResourceCodec.display(keys, kind, id, version, display),
              ResourceCodec.document(keys, kind, id, version, doc),
              row.getInteger("key_version"));
        });
  }

  /** Re-encrypts the tenant's feed events in batches, in event order; the count. */
  private Future<Integer> events(UUID tenantId, TenantKeys keys, long after, int doneSoFar) {
    int current = keys.cipher().currentVersion();
    return inBatches(
        tenantId,
        current,
        EVENTS_BATCH,
        UPDATE_EVENT,
        after,
        doneSoFar,
        row -> row.getLong("event_id"),
        row -> {
          String type = row.getString("event_type");
          UUID resourceId = row.getUUID("resource_id");
          long version = row.getLong("resource_version");
          ObjectNode payload =
              ResourceCodec.event(keys, type, resourceId, version, row.getBuffer("payload_ct"));
          return Tuple.of(
              tenantId,
              row.getLong("event_id"),
              current,
              ResourceCodec.event(keys, type, resourceId, version, payload),
              row.getInteger("key_version"));
        });
  }

  /** Re-encrypts the names of unlinked account groups in batches, in id order; the count. */
  private Future<Integer> accountGroups(UUID tenantId, TenantKeys keys, UUID after, int doneSoFar) {
    int current = keys.cipher().currentVersion();
    return inBatches(
        tenantId,
        current,
        ACCOUNT_GROUPS_BATCH,
        UPDATE_ACCOUNT_GROUP,
        after,
        doneSoFar,
        row -> row.getUUID("id"),
        row -> {
          UUID id = row.getUUID("id");
          String name = AccountGroups.decryptName(keys, id, row.getBuffer("display_ct"));
          return Tuple.of(
              tenantId,
              id,
              current,
              AccountGroups.encryptName(keys, id, name),
              row.getInteger("key_version"));
        });
  }

  /**
   * The batch loop all three share: {@code select} (tenant, current key version, cursor, batch
   * size) the rows not yet under the current key, {@code update} each with what {@code reencrypt}
   * makes of it in the same tenant transaction, and go on after the last row until a batch comes
   * back short; the count.
   */
  private <K> Future<Integer> inBatches(
      UUID tenantId,
      int current,
      String select,
      String update,
      K after,
      int doneSoFar,
      java.util.function.Function<Row, K> cursor,
      java.util.function.Function<Row, Tuple> reencrypt) {
    return db.inTenant(
            tenantId,
            conn ->
                conn.preparedQuery(select)
                    .execute(Tuple.of(tenantId, current, after, options.batchSize()))
                    .compose(
                        rows -> {
                          List<Tuple> updates = new ArrayList<>();
                          K last = null;
                          for (Row row : rows) {
                            last = cursor.apply(row);
                            updates.add(reencrypt.apply(row));
                          }
                          return write(conn, update, updates).map(new Batch<>(rows.size(), last));
                        }))
        .compose(
            batch ->
                batch.size() < options.batchSize()
                    ? Future.succeededFuture(doneSoFar + batch.size())
                    : inBatches(
                        tenantId,
                        current,
                        select,
                        update,
                        batch.last(),
                        doneSoFar + batch.size(),
                        cursor,
                        reencrypt));
  }

  private record Batch<K>(int size, K last) {}

  private static Future<Void> write(SqlConnection conn, String sql, List<Tuple> updates) {
    if (updates.isEmpty()) {
      return Future.succeededFuture();
    }
    // guarded by version and key version: a row written since the read is already current
    return conn.preparedQuery(sql).executeBatch(updates).mapEmpty();
  }

  private Future<ScimSession> readSession(UUID tenantId) {
    return provisioning
        .tenantRef(tenantId)
        .compose((TenantSessionRef ref) -> sessions.read(ref))
        .map(stored -> stored.session());
  }

  private Future<Map<String, Map<Integer, Long>>> counts(UUID tenantId) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(COUNT_BY_VERSION)
                .execute(Tuple.of(tenantId))
                .map(
                    rows -> {
                      Map<String, Map<Integer, Long>> out = new TreeMap<>();
                      for (String t : List.of("users", "groups", "events", "accountGroups")) {
                        out.put(t, new TreeMap<>());
                      }
                      for (Row row : rows) {
                        out.get(row.getString("t"))
                            .put(row.getInteger("key_version"), row.getLong("n"));
                      }
                      return out;
                    }));
  }

  private Future<Void> sleep(Duration d) {
    if (d.isZero() || d.isNegative()) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    vertx.setTimer(d.toMillis(), id -> p.complete());
    return p.future();
  }
}
