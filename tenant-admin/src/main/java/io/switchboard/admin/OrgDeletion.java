package io.switchboard.admin;

import io.switchboard.session.SessionStore;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.store.Database;
import io.switchboard.tenant.Invalidations;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deleting an organisation is a crypto-shred. At once, in the request: the organisation is marked
 * {@code deleting} (every instance drops it), every token is revoked, and its scimsession is
 * deleted from its store, so the account key that decrypts its directory is gone. Then, in the
 * background, its rows (ciphertext by then unreadable) are removed in batches and the tenant row
 * last. A deletion interrupted by a restart resumes when tenant-admin starts.
 *
 * <p>Usage: {@code deletion.start(orgId, actor, requestId).onSuccess(report -> ...)}.
 */
final class OrgDeletion {
  private static final Logger LOG = LoggerFactory.getLogger(OrgDeletion.class);

  private final Database db;
  private final SessionStore sessions;

  OrgDeletion(Database db, SessionStore sessions) {
    this.db = db;
    this.sessions = sessions;
  }

  /** What {@link #start} did at once, and what it is removing in the background. */
  record Report(UUID orgId, int tokensRevoked, boolean sessionDeleted, JsonObject removing) {
    JsonObject toJson() {
      return new JsonObject()
          .put("id", orgId.toString())
          .put("status", "deleting")
          .put(
              "deleted",
              new JsonObject()
                  .put("tokensRevoked", tokensRevoked)
                  .put("sessionDeleted", sessionDeleted))
          .put("removing", removing);
    }
  }

  /** Tokens revoked in the first step, and the tenant's row counts at that moment. */
  private record Revoked(int tokens, Row counts) {}

  /** Fails with 404 if there is no such organisation, 409 if it is already being deleted. */
  Future<Report> start(UUID orgId, String actor, String requestId) {
    return db.pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(AdminSql.MARK_DELETING)
                    .execute(Tuple.of(orgId))
                    .compose(
                        rows ->
                            rows.size() == 0
                                ? missingOrAlreadyDeleting(orgId)
                                : Invalidations.notify(conn, Invalidations.tenant(orgId))
                                    .map(v -> rows.iterator().next())))
        .compose(
            tenant ->
                db.inTenant(
                        orgId,
                        conn ->
                            conn.preparedQuery(AdminSql.REVOKE_ALL_TOKENS)
                                .execute(Tuple.of(orgId))
                                .compose(
                                    revoked -> {
                                      List<String> ids = new ArrayList<>();
                                      revoked.forEach(r -> ids.add(r.getString("token_id")));
                                      Future<Void> notified = Future.succeededFuture();
                                      for (String id : ids) {
                                        notified =
                                            notified.compose(
                                                v ->
                                                    Invalidations.notify(
                                                        conn, Invalidations.token(id)));
                                      }
                                      return notified.compose(
                                          v ->
                                              conn.preparedQuery(AdminSql.COUNT_TENANT_ROWS)
                                                  .execute()
                                                  .map(
                                                      counts ->
                                                          new Revoked(
                                                              ids.size(),
                                                              counts.iterator().next())));
                                    }))
                    .compose(
                        result -> {
                          int tokensRevoked = result.tokens();
                          Row c = result.counts();
                          JsonObject removing =
                              new JsonObject()
                                  .put("users", c.getLong("users"))
                                  .put("groups", c.getLong("groups"))
                                  .put("memberships", c.getLong("memberships"))
                                  .put("events", c.getLong("events"))
                                  .put("tokens", c.getLong("tokens"))
                                  .put("auditEntries", c.getLong("audit"));
                          TenantSessionRef ref = ref(orgId, tenant);
                          return sessions
                              .delete(ref)
                              .map(true)
                              .recover(
                                  err -> {
                                    // retried by the background purge before any row goes
                                    LOG.warn(
                                        "organisation {}: session not deleted yet ({})",
                                        orgId,
                                        err.getClass().getSimpleName());
                                    return Future.succeededFuture(false);
                                  })
                              .compose(
                                  sessionDeleted -> {
                                    Report report =
                                        new Report(orgId, tokensRevoked, sessionDeleted, removing);
                                    JsonObject deleted =
                                        report.toJson().getJsonObject("deleted").copy();
                                    deleted.put("removing", removing);
                                    return db.pool()
                                        .preparedQuery(AdminSql.RECORD_DELETION)
                                        .execute(
                                            Tuple.of(
                                                orgId,
                                                tenant.getString("slug"),
                                                actor,
                                                requestId,
                                                deleted))
                                        .map(report);
                                  });
                        }))
        .onSuccess(report -> purge(orgId, ref(orgId, null)));
  }

  private Future<Row> missingOrAlreadyDeleting(UUID orgId) {
    return db.pool()
        .preparedQuery("select status from tenants where id = $1")
        .execute(Tuple.of(orgId))
        .compose(
            rows ->
                Future.failedFuture(
                    rows.size() == 0
                        ? AdminError.notFound("No such organisation.")
                        : AdminError.conflict("The organisation is already being deleted.")));
  }

  /** Resumes deletions a restart interrupted. */
  Future<Void> resumePending() {
    return db.pool()
        .preparedQuery(AdminSql.DELETING_TENANTS)
        .execute()
        .map(
            rows -> {
              for (Row row : rows) {
                UUID id = row.getUUID("id");
                LOG.info("resuming deletion of organisation {}", id);
                purge(id, ref(id, row));
              }
              return null;
            });
  }

  /** Session first (if the request could not delete it), then rows in batches, tenant last. */
  Future<Void> purge(UUID orgId, TenantSessionRef knownRef) {
    Future<TenantSessionRef> ref =
        knownRef != null && knownRef.store() != null
            ? Future.succeededFuture(knownRef)
            : db.pool()
                .preparedQuery("select session_store, vault from tenants where id = $1")
                .execute(Tuple.of(orgId))
                .map(rows -> rows.size() == 0 ? null : ref(orgId, rows.iterator().next()));
    return ref.compose(r -> r == null ? Future.succeededFuture() : sessions.delete(r))
        .compose(v -> purgeBatches(orgId, 0))
        .compose(
            v ->
                db.pool()
                    .withTransaction(
                        conn ->
                            conn.preparedQuery(AdminSql.DELETE_TENANT)
                                .execute(Tuple.of(orgId))
                                .compose(
                                    r ->
                                        conn.preparedQuery(AdminSql.COMPLETE_DELETION)
                                            .execute(Tuple.of(orgId)))))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("organisation {} deleted", orgId))
        .onFailure(
            err ->
                LOG.warn(
                    "deletion of organisation {} paused ({}); it resumes at the next start",
                    orgId,
                    err.getClass().getSimpleName()));
  }

  private Future<Void> purgeBatches(UUID orgId, int statement) {
    if (statement >= AdminSql.PURGE_BATCHES.length) {
      return Future.succeededFuture();
    }
    return db.inTenant(
            orgId,
            conn -> conn.query(AdminSql.PURGE_BATCHES[statement]).execute().map(r -> r.rowCount()))
        .compose(n -> purgeBatches(orgId, n > 0 ? statement : statement + 1));
  }

  private static TenantSessionRef ref(UUID orgId, Row row) {
    if (row == null) {
      return null;
    }
    Object vault = row.getValue("vault");
    return new TenantSessionRef(
        orgId, row.getString("session_store"), vault instanceof JsonObject j ? j : null);
  }
}
