package io.switchboard.connector;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of {@code connectors}: a tenant's source, schedule and last sync, without secrets. */
public record ConnectorRecord(
    UUID tenantId,
    SourceKind kind,
    int intervalSeconds,
    DirectorySync.RemovalPolicy removalPolicy,
    long configVersion,
    Instant nextRunAt,
    String leaseOwner,
    Instant leaseUntil,
    Instant lastStartedAt,
    Instant lastFinishedAt,
    String lastStatus,
    Long lastDurationMs,
    JsonObject lastCounts,
    String lastErrorCode,
    String lastError,
    int consecutiveFailures) {

  static final String COLUMNS =
      "tenant_id, source_kind, interval_seconds, removal_policy, config_version, next_run_at,"
          + " lease_owner, lease_until, last_started_at, last_finished_at, last_status,"
          + " last_duration_ms, last_counts, last_error_code, last_error, consecutive_failures";

  /** What a tenant without a row has: SCIM push, never synced. */
  public static ConnectorRecord scimPush(UUID tenantId) {
    return new ConnectorRecord(
        tenantId,
        SourceKind.SCIM_PUSH,
        3600,
        DirectorySync.RemovalPolicy.SUSPEND,
        0,
        null,
        null,
        null,
        null,
        null,
        "never",
        null,
        new JsonObject(),
        null,
        null,
        0);
  }

  static ConnectorRecord from(Row row) {
    Object counts = row.getValue("last_counts");
    return new ConnectorRecord(
        row.getUUID("tenant_id"),
        SourceKind.parse(row.getString("source_kind")).orElse(SourceKind.SCIM_PUSH),
        row.getInteger("interval_seconds"),
        DirectorySync.RemovalPolicy.parse(row.getString("removal_policy")),
        row.getLong("config_version"),
        instant(row.getOffsetDateTime("next_run_at")),
        row.getString("lease_owner"),
        instant(row.getOffsetDateTime("lease_until")),
        instant(row.getOffsetDateTime("last_started_at")),
        instant(row.getOffsetDateTime("last_finished_at")),
        row.getString("last_status"),
        row.getLong("last_duration_ms"),
        counts instanceof JsonObject j ? j : new JsonObject(),
        row.getString("last_error_code"),
        row.getString("last_error"),
        row.getInteger("consecutive_failures"));
  }

  /** The fleet-status view of the last and next sync. */
  public JsonObject statusJson() {
    JsonObject out =
        new JsonObject()
            .put("source", kind.wireName())
            .put("intervalSeconds", intervalSeconds)
            .put("removalPolicy", removalPolicy.wireName())
            .put("running", leaseUntil != null && leaseUntil.isAfter(Instant.now()))
            .put("lastStatus", lastStatus)
            .put("lastStartedAt", str(lastStartedAt))
            .put("lastFinishedAt", str(lastFinishedAt))
            .put("lastDurationMs", lastDurationMs)
            .put("lastCounts", lastCounts)
            .put("consecutiveFailures", consecutiveFailures)
            .put("nextRunAt", kind.pulls() ? str(nextRunAt) : null);
    if (lastErrorCode != null) {
      out.put("lastError", new JsonObject().put("code", lastErrorCode).put("message", lastError));
    }
    return out;
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
