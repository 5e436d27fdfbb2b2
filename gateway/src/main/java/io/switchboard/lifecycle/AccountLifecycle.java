package io.switchboard.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.feed.FeedWriter;
import io.switchboard.feed.FeedWriter.NewEvent;
import io.switchboard.scim.ScimJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;

/**
 * The account behind each SCIM user: {@code invited → active ⇄ suspended}, following the bridges
 * Switchboard replaces. Called by the user store inside the transaction that changes the SCIM
 * resource. Concurrent changes of one person are ordered by the lock on its {@code accounts} row
 * (the confirmer's update re-checks {@code status} under that lock).
 *
 * <ul>
 *   <li>create: {@code invited}; confirmed at once ({@code user.confirmed}, reason {@code
 *       immediate}) or later by the {@link LifecycleWorker} (interval policy). Created with {@code
 *       active=false}: {@code user.suspended}.
 *   <li>{@code active} true → false: {@code user.suspended}; false → true: {@code user.reactivated}
 *       (back to {@code active}, never re-invited).
 *   <li>primary email or userName changed: {@code user.email_change_pending}.
 *   <li>DELETE: {@code user.deleted} with {@code disposition} {@code suspended} (kept) or {@code
 *       erased}, by the tenant's {@code hardDelete} policy.
 * </ul>
 */
public final class AccountLifecycle {
  static final String SETTINGS = "select settings from tenants where id = $1";
  private static final String INSERT =
      "insert into accounts (tenant_id, user_id, status, confirm_after, confirmed_at,"
          + " confirmed_by, suspended_at, suspend_reason) values ($1, $2, $3, $4, $5, $6, $7, $8)";
  private static final String LOCK =
      "select status from accounts where tenant_id = $1 and user_id = $2 for update";
  private static final String SUSPEND =
      "update accounts set status = 'suspended', suspended_at = now(), suspend_reason = $3,"
          + " scim_deleted = $4, updated_at = now() where tenant_id = $1 and user_id = $2";
  private static final String REACTIVATE =
      "update accounts set status = 'active', suspended_at = null, suspend_reason = null,"
          + " confirm_after = null, confirmed_at = coalesce(confirmed_at, now()),"
          + " confirmed_by = coalesce(confirmed_by, 'immediate'), updated_at = now()"
          + " where tenant_id = $1 and user_id = $2";
  private static final String EMAIL_PENDING =
      "update accounts set email_change_pending_since = now(), updated_at = now()"
          + " where tenant_id = $1 and user_id = $2";
  private static final String UPSERT_ACTIVE =
      "insert into accounts (tenant_id, user_id, status, confirmed_at, confirmed_by)"
          + " values ($1, $2, $3, now(), 'immediate') on conflict do nothing";
  private static final String ERASE = "delete from accounts where tenant_id = $1 and user_id = $2";

  /** Account states. */
  public static final String INVITED = "invited";

  public static final String ACTIVE = "active";
  public static final String SUSPENDED = "suspended";

  private AccountLifecycle() {}

  /** The tenant's lifecycle policy, read inside the writing transaction. */
  public static Future<LifecyclePolicy> policy(SqlConnection conn, UUID tenantId) {
    return conn.preparedQuery(SETTINGS)
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return LifecyclePolicy.DEFAULTS;
              }
              Object settings = rows.iterator().next().getValue("settings");
              return LifecyclePolicy.fromSettings(
                  settings instanceof JsonObject j ? j : new JsonObject());
            });
  }

  /** A user was created (its {@code user.invited} event is already recorded). */
  public static Future<Void> created(
      SqlConnection conn,
      TenantKeys keys,
      String requestId,
      UUID userId,
      long version,
      ObjectNode document) {
    UUID tenant = keys.tenantId();
    return policy(conn, tenant)
        .compose(
            policy -> {
              boolean active = isActive(document);
              OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
              String status;
              OffsetDateTime confirmAfter = null;
              OffsetDateTime confirmedAt = null;
              String confirmedBy = null;
              if (!active) {
                status = SUSPENDED;
              } else if (policy.immediateConfirmation()) {
                status = ACTIVE;
                confirmedAt = now;
                confirmedBy = "immediate";
              } else {
                status = INVITED;
                confirmAfter = now.plus(policy.confirmationDelay());
              }
              Future<?> insert =
                  conn.preparedQuery(INSERT)
                      .execute(
                          Tuple.from(
                              new Object[] {
                                tenant,
                                userId,
                                status,
                                confirmAfter,
                                confirmedAt,
                                confirmedBy,
                                active ? null : now,
                                active ? null : "scim_active_false"
                              }));
              Future<Void> event;
              if (!active) {
                event =
                    append(
                        conn,
                        keys,
                        requestId,
                        "user.suspended",
                        userId,
                        version,
                        reason("scim_active_false"));
              } else if (ACTIVE.equals(status)) {
                event =
                    append(
                        conn,
                        keys,
                        requestId,
                        "user.confirmed",
                        userId,
                        version,
                        reason("immediate"));
              } else {
                event = Future.succeededFuture();
              }
              return Future.all(insert, event).mapEmpty();
            });
  }

  /** A user's document changed from {@code before} to {@code after} (event already recorded). */
  public static Future<Void> updated(
      SqlConnection conn,
      TenantKeys keys,
      String requestId,
      UUID userId,
      long version,
      ObjectNode before,
      ObjectNode after) {
    UUID tenant = keys.tenantId();
    return conn.preparedQuery(LOCK)
        .execute(Tuple.of(tenant, userId))
        .compose(
            rows -> {
              boolean wasActive = isActive(before);
              boolean isActive = isActive(after);
              Future<?> ensured =
                  rows.size() == 0
                      // a user from before accounts existed: it was confirmed in effect
                      ? conn.preparedQuery(UPSERT_ACTIVE)
                          .execute(Tuple.of(tenant, userId, wasActive ? ACTIVE : SUSPENDED))
                      : Future.succeededFuture();
              String status =
                  rows.size() == 0
                      ? (wasActive ? ACTIVE : SUSPENDED)
                      : rows.iterator().next().getString("status");
              return ensured.compose(
                  v -> {
                    Future<Void> chain = Future.succeededFuture();
                    if (wasActive && !isActive && !SUSPENDED.equals(status)) {
                      chain =
                          chain
                              .compose(
                                  x ->
                                      conn.preparedQuery(SUSPEND)
                                          .execute(
                                              Tuple.of(tenant, userId, "scim_active_false", false)))
                              .compose(
                                  x ->
                                      append(
                                          conn,
                                          keys,
                                          requestId,
                                          "user.suspended",
                                          userId,
                                          version,
                                          reason("scim_active_false")));
                    } else if (!wasActive && isActive && SUSPENDED.equals(status)) {
                      chain =
                          chain
                              .compose(
                                  x ->
                                      conn.preparedQuery(REACTIVATE)
                                          .execute(Tuple.of(tenant, userId)))
                              .compose(
                                  x ->
                                      append(
                                          conn,
                                          keys,
                                          requestId,
                                          "user.reactivated",
                                          userId,
                                          version,
                                          reason("scim_active_true")));
                    }
                    String emailBefore = primaryEmail(before);
                    String emailAfter = primaryEmail(after);
                    String nameBefore = before.path("userName").asText("");
                    String nameAfter = after.path("userName").asText("");
                    if (!Objects.equals(emailBefore, emailAfter) || !nameBefore.equals(nameAfter)) {
                      ObjectNode pending = ScimJson.object();
                      pending.put("userName", nameAfter);
                      pending.put("previousUserName", nameBefore);
                      if (emailAfter != null) {
                        pending.put("email", emailAfter);
                      }
                      if (emailBefore != null) {
                        pending.put("previousEmail", emailBefore);
                      }
                      pending.put("confirmation", "at_next_sign_in");
                      chain =
                          chain
                              .compose(
                                  x ->
                                      conn.preparedQuery(EMAIL_PENDING)
                                          .execute(Tuple.of(tenant, userId)))
                              .compose(
                                  x ->
                                      append(
                                          conn,
                                          keys,
                                          requestId,
                                          "user.email_change_pending",
                                          userId,
                                          version,
                                          pending));
                    }
                    return chain;
                  });
            });
  }

  /** A user was deleted through SCIM: the account is suspended and kept, or erased. */
  public static Future<Void> deleted(
      SqlConnection conn, TenantKeys keys, String requestId, UUID userId, long version) {
    UUID tenant = keys.tenantId();
    return policy(conn, tenant)
        .compose(
            policy -> {
              ObjectNode payload = ScimJson.object();
              payload.put("disposition", policy.eraseOnDelete() ? "erased" : "suspended");
              Future<?> account =
                  policy.eraseOnDelete()
                      ? conn.preparedQuery(ERASE).execute(Tuple.of(tenant, userId))
                      : conn.preparedQuery(SUSPEND)
                          .execute(Tuple.of(tenant, userId, "scim_delete", true));
              return account.compose(
                  v -> append(conn, keys, requestId, "user.deleted", userId, version, payload));
            });
  }

  static Future<Void> append(
      SqlConnection conn,
      TenantKeys keys,
      String requestId,
      String type,
      UUID userId,
      long version,
      ObjectNode payload) {
    return FeedWriter.append(
        conn, keys, requestId, new NewEvent(type, "User", userId, version, payload));
  }

  static ObjectNode reason(String reason) {
    ObjectNode p = ScimJson.object();
    p.put("reason", reason);
    return p;
  }

  static boolean isActive(JsonNode document) {
    JsonNode active = document.get("active");
    if (active == null || active.isNull()) {
      return true;
    }
    if (active.isBoolean()) {
      return active.booleanValue();
    }
    return !"false".equalsIgnoreCase(active.asText());
  }

  /** The primary email, else the first one; null without emails. */
  static String primaryEmail(JsonNode document) {
    String first = null;
    for (JsonNode email : document.path("emails")) {
      String value = email.path("value").asText("");
      if (value.isBlank()) {
        continue;
      }
      if (email.path("primary").asBoolean(false)) {
        return value.strip().toLowerCase(java.util.Locale.ROOT);
      }
      if (first == null) {
        first = value.strip().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return first;
  }

  /** An account's state for tenant-admin. */
  public record AccountStatus(
      UUID userId,
      String status,
      OffsetDateTime invitedAt,
      OffsetDateTime confirmAfter,
      OffsetDateTime confirmedAt,
      String confirmedBy,
      OffsetDateTime suspendedAt,
      String suspendReason,
      boolean scimDeleted,
      OffsetDateTime emailChangePendingSince) {

    static final String SELECT =
        "select user_id, status, invited_at, confirm_after, confirmed_at, confirmed_by,"
            + " suspended_at, suspend_reason, scim_deleted, email_change_pending_since"
            + " from accounts where tenant_id = $1 and user_id = $2";

    static AccountStatus from(Row row) {
      return new AccountStatus(
          row.getUUID("user_id"),
          row.getString("status"),
          row.getOffsetDateTime("invited_at"),
          row.getOffsetDateTime("confirm_after"),
          row.getOffsetDateTime("confirmed_at"),
          row.getString("confirmed_by"),
          row.getOffsetDateTime("suspended_at"),
          row.getString("suspend_reason"),
          row.getBoolean("scim_deleted"),
          row.getOffsetDateTime("email_change_pending_since"));
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("userId", userId.toString())
          .put("status", status)
          .put("invitedAt", str(invitedAt))
          .put("confirmAfter", str(confirmAfter))
          .put("confirmedAt", str(confirmedAt))
          .put("confirmedBy", confirmedBy)
          .put("suspendedAt", str(suspendedAt))
          .put("suspendReason", suspendReason)
          .put("scimDeleted", scimDeleted)
          .put("emailChangePendingSince", str(emailChangePendingSince));
    }

    private static String str(OffsetDateTime t) {
      return t == null ? null : t.toInstant().toString();
    }
  }

  /** The account of {@code userId}, if the tenant has one. */
  public static Future<java.util.Optional<AccountStatus>> status(
      io.switchboard.store.Database db, UUID tenantId, UUID userId) {
    return db.inTenant(
        tenantId,
        conn ->
            conn.preparedQuery(AccountStatus.SELECT)
                .execute(Tuple.of(tenantId, userId))
                .map(
                    rows ->
                        rows.size() == 0
                            ? java.util.Optional.<AccountStatus>empty()
                            : java.util.Optional.of(AccountStatus.from(rows.iterator().next()))));
  }
}
