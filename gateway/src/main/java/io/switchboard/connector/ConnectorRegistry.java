package io.switchboard.connector;

import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the {@code connectors} table: each tenant's source, schedule, lease and last result.
 * Every statement runs in the tenant's row-level-security scope except {@link #due}, which goes
 * through {@code sb_due_connectors} and sees ids only.
 */
public final class ConnectorRegistry {
  private static final String SELECT =
      "select " + ConnectorRecord.COLUMNS + " from connectors where tenant_id = $1";
  private static final String UPSERT =
      "insert into connectors (tenant_id, source_kind, interval_seconds, removal_policy,"
          + " next_run_at) values ($1, $2, $3, $4, case when $2 = 'scim-push' then null else"
          + " now() end) on conflict (tenant_id) do update set source_kind = excluded.source_kind,"
          + " interval_seconds = excluded.interval_seconds, removal_policy ="
          + " excluded.removal_policy, next_run_at = excluded.next_run_at, config_version ="
          + " connectors.config_version + 1, consecutive_failures = 0, updated_at = now()"
          + " returning "
          + ConnectorRecord.COLUMNS;
  private static final String ACQUIRE =
      "update connectors set lease_owner = $2, lease_until = now() + make_interval(secs => $3),"
          + " last_status = 'running', last_started_at = now(), resume_state ="
          + " jsonb_build_object('phase', 'started') where tenant_id = $1 and source_kind <>"
          + " 'scim-push' and (lease_until is null or lease_until < now()) returning tenant_id";
  private static final String RENEW =
      "update connectors set lease_until = now() + make_interval(secs => $3)"
          + " where tenant_id = $1 and lease_owner = $2";
  private static final String PHASE =
      "update connectors set resume_state = $3 where tenant_id = $1 and lease_owner = $2";
  private static final String FINISH =
      "update connectors set lease_owner = null, lease_until = null, last_finished_at = now(),"
          + " last_status = $3, last_duration_ms = $4, last_counts = $5, last_error_code = $6,"
          + " last_error = $7, resume_state = $8, consecutive_failures = case when $3 ="
          + " 'succeeded' then 0 else consecutive_failures + 1 end, next_run_at = now() +"
          + " make_interval(secs => case when $3 = 'succeeded' then interval_seconds else"
          + " least(interval_seconds, 60 * power(2, least(consecutive_failures, 6))::integer)"
          + " end), updated_at = now() where tenant_id = $1 and lease_owner = $2";
  private static final String DUE = "select tenant_id from sb_due_connectors($1)";
  private static final String AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  private final Database db;

  public ConnectorRegistry(Database db) {
    this.db = db;
  }

  public Future<Optional<ConnectorRecord>> get(UUID tenantId) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(SELECT)
                .execute(Tuple.of(tenantId))
                .map(
                    rows ->
                        rows.size() == 0
                            ? Optional.empty()
                            : Optional.of(ConnectorRecord.from(rows.iterator().next()))));
  }

  /** Sets the source and schedule; a pull source is due at once. */
  public Future<ConnectorRecord> upsert(
      UUID tenantId, SourceKind kind, int intervalSeconds, DirectorySync.RemovalPolicy policy) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(UPSERT)
                .execute(Tuple.of(tenantId, kind.wireName(), intervalSeconds, policy.wireName()))
                .map(rows -> ConnectorRecord.from(rows.iterator().next())));
  }

  /** Takes the tenant's sync lease if nobody holds a live one; true when taken. */
  public Future<Boolean> acquire(UUID tenantId, String owner, Duration ttl) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(ACQUIRE)
                .execute(Tuple.of(tenantId, owner, (double) ttl.toSeconds()))
                .map(rows -> rows.size() == 1));
  }

  public Future<Void> renew(UUID tenantId, String owner, Duration ttl) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(RENEW)
                .execute(Tuple.of(tenantId, owner, (double) ttl.toSeconds()))
                .mapEmpty());
  }

  /** Where a running sync stands (phase and counters, no names): read after a crash. */
  public Future<Void> phase(UUID tenantId, String owner, JsonObject state) {
    return db.inTenant(
        tenantId,
        conn -> conn.preparedQuery(PHASE).execute(Tuple.of(tenantId, owner, state)).mapEmpty());
  }

  /** Records the outcome, releases the lease and schedules the next run. */
  public Future<Void> finish(
      UUID tenantId,
      String owner,
      boolean succeeded,
      long durationMs,
      JsonObject counts,
      String errorCode,
      String error,
      JsonObject resumeState) {
    String message = error == null ? null : error.substring(0, Math.min(500, error.length()));
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(FINISH)
                .execute(
                    Tuple.from(
                        new Object[] {
                          tenantId,
                          owner,
                          succeeded ? "succeeded" : "failed",
                          durationMs,
                          counts,
                          errorCode,
                          message,
                          resumeState
                        }))
                .mapEmpty());
  }

  /** Tenants whose pull connector is due and not leased, oldest first. */
  public Future<List<UUID>> due(int limit) {
    return db.pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(DUE)
                    .execute(Tuple.of(limit))
                    .map(
                        rows -> {
                          List<UUID> ids = new ArrayList<>();
                          for (Row row : rows) {
                            ids.add(row.getUUID(0));
                          }
                          return ids;
                        }));
  }

  /** One audit row in the tenant's log: ids and numbers only. */
  public Future<Void> audit(
      UUID tenantId, String actor, String action, String requestId, JsonObject details) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(AUDIT)
                .execute(
                    Tuple.of(tenantId, actor, action, "Connector/" + tenantId, requestId, details))
                .mapEmpty());
  }
}
