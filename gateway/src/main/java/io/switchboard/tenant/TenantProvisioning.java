package io.switchboard.tenant;

import io.switchboard.session.BearerToken;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionConflictException;
import io.switchboard.session.SessionStore;
import io.switchboard.session.StoredSession;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Creates tenants and manages their bearer tokens, keeping the two halves of every token in step:
 * the database row (tenant, hash, validity) and the verifier in the tenant's scimsession. The
 * session is always written first, so a crash in between leaves at most an unused verifier, never a
 * token that works with one half only.
 *
 * <p>Usage: {@code provisioning.createTenant(new NewTenant("acme", "Acme", ...))}; {@code
 * provisioning.issueToken(tenantId, "entra", null)}.
 */
public final class TenantProvisioning {
  private static final int CAS_ATTEMPTS = 5;

  private final Database db;
  private final SessionStore sessions;
  private final Clock clock;

  private TenantProvisioning(Database db, SessionStore sessions, Clock clock) {
    this.db = db;
    this.sessions = sessions;
    this.clock = clock;
  }

  public static TenantProvisioning create(Database db, SessionStore sessions) {
    return new TenantProvisioning(db, sessions, Clock.systemUTC());
  }

  /** What to create. {@code vault} is null for the local store. */
  public record NewTenant(
      String slug,
      String name,
      String idpProfile,
      String sessionStore,
      JsonObject vault,
      JsonObject settings) {
    public NewTenant {
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(name, "name");
      idpProfile = idpProfile == null ? "generic" : idpProfile;
      sessionStore = sessionStore == null ? TenantSessionRef.LOCAL : sessionStore;
      settings = settings == null ? new JsonObject() : settings;
    }

    public static NewTenant local(String slug, String name) {
      return new NewTenant(slug, name, null, TenantSessionRef.LOCAL, null, null);
    }
  }

  /** The created tenant. */
  public record CreatedTenant(UUID id, String slug) {}

  /** A token as issued: {@code token} is shown exactly once and never stored. */
  public record IssuedToken(UUID tenantId, String tokenId, String token, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedToken[tenant=" + tenantId + ", id=" + tokenId + "]";
    }
  }

  /** Writes a fresh scimsession to the tenant's store, then registers the tenant. */
  public Future<CreatedTenant> createTenant(NewTenant spec) {
    return createTenant(UUID.randomUUID(), spec);
  }

  /** As {@link #createTenant(NewTenant)}, with an id chosen beforehand (secrets sealed to it). */
  public Future<CreatedTenant> createTenant(UUID id, NewTenant spec) {
    TenantSessionRef ref = new TenantSessionRef(id, spec.sessionStore(), spec.vault());
    return sessions
        .write(ref, ScimSession.create(id, clock.instant()), 0)
        .compose(
            version ->
                db.pool()
                    .preparedQuery(
                        "insert into tenants (id, slug, name, idp_profile, session_store, vault,"
                            + " settings) values ($1, $2, $3, $4, $5, $6, $7)")
                    .execute(
                        Tuple.of(
                            id,
                            spec.slug(),
                            spec.name(),
                            spec.idpProfile(),
                            spec.sessionStore(),
                            spec.vault(),
                            spec.settings()))
                    .recover(
                        err ->
                            sessions
                                .delete(ref)
                                .<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>>transform(
                                    ignored -> Future.failedFuture(err))))
        .map(rows -> new CreatedTenant(id, spec.slug()));
  }

  /**
   * Issues a token: verifier into the session (check-and-set), then the database row, then a
   * notification so every instance reloads the session.
   */
  public Future<IssuedToken> issueToken(UUID tenantId, String label, Instant expiresAt) {
    BearerToken token = BearerToken.generate(BearerToken.IDP_PREFIX);
    Instant now = clock.instant();
    ScimSession.TokenVerifier verifier =
        ScimSession.TokenVerifier.of(token.secret(), now, expiresAt);
    return tenantRef(tenantId)
        .compose(
            ref -> updateSession(ref, s -> s.withVerifier(token.tokenId(), verifier), CAS_ATTEMPTS))
        .compose(
            v ->
                db.inTenant(
                    tenantId,
                    conn ->
                        conn.preparedQuery(
                                "insert into bearer_tokens (tenant_id, token_id, secret_hash,"
                                    + " label, created_at, expires_at) values ($1, $2, $3, $4,"
                                    + " $5, $6)")
                            .execute(
                                Tuple.of(
                                    tenantId,
                                    token.tokenId(),
                                    io.vertx.core.buffer.Buffer.buffer(token.secretHash()),
                                    label == null ? "" : label,
                                    now.atOffset(ZoneOffset.UTC),
                                    expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC)))
                            .compose(
                                r -> Invalidations.notify(conn, Invalidations.session(tenantId)))))
        .map(v -> new IssuedToken(tenantId, token.tokenId(), token.reveal(), expiresAt));
  }

  /** Revokes a token at once on every instance, then drops its verifier from the session. */
  public Future<Boolean> revokeToken(UUID tenantId, String tokenId) {
    return db.inTenant(
            tenantId,
            conn ->
                conn.preparedQuery(
                        "update bearer_tokens set revoked_at = coalesce(revoked_at, now())"
                            + " where tenant_id = $1 and token_id = $2")
                    .execute(Tuple.of(tenantId, tokenId))
                    .compose(
                        rows ->
                            Invalidations.notify(conn, Invalidations.token(tokenId))
                                .map(rows.rowCount() > 0)))
        .compose(
            found ->
                found
                    ? tenantRef(tenantId)
                        .compose(
                            ref ->
                                updateSession(ref, s -> s.withoutVerifier(tokenId), CAS_ATTEMPTS))
                        .map(true)
                    : Future.succeededFuture(false));
  }

  /** A rotation's outcome: the new token (shown once) and when the old one stops working. */
  public record Rotation(IssuedToken issued, String oldTokenId, Instant oldExpiresAt) {}

  /**
   * Rotates a token with an overlap window: a new token is issued beside the old one, and the old
   * one (row and session verifier both) expires after {@code overlap}, or sooner if it already
   * expired sooner. No restart, no redeploy: the IdP switches to the new token within the window.
   * Fails with {@link IllegalStateException} if the old token is unknown, revoked or expired.
   */
  public Future<Rotation> rotateToken(
      UUID tenantId, String oldTokenId, java.time.Duration overlap, Instant newExpiresAt) {
    Instant now = clock.instant();
    Instant overlapEnd = now.plus(overlap).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    return db.inTenant(
            tenantId,
            conn ->
                conn.preparedQuery(
                        "select label, expires_at from bearer_tokens where tenant_id = $1 and"
                            + " token_id = $2 and revoked_at is null and (expires_at is null or"
                            + " expires_at > now()) for update")
                    .execute(Tuple.of(tenantId, oldTokenId)))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(
                    new IllegalStateException("no usable token " + oldTokenId));
              }
              var row = rows.iterator().next();
              var current = row.getOffsetDateTime("expires_at");
              Instant oldExpiry =
                  current != null && current.toInstant().isBefore(overlapEnd)
                      ? current.toInstant()
                      : overlapEnd;
              return issueToken(tenantId, row.getString("label"), newExpiresAt)
                  .compose(
                      issued ->
                          expireAt(tenantId, oldTokenId, oldExpiry, issued.tokenId())
                              .map(v -> new Rotation(issued, oldTokenId, oldExpiry)));
            });
  }

  private Future<Void> expireAt(UUID tenantId, String tokenId, Instant expiry, String newTokenId) {
    return tenantRef(tenantId)
        .compose(
            ref ->
                updateSession(
                    ref,
                    s -> {
                      ScimSession.TokenVerifier v = s.verifiers().get(tokenId);
                      return v == null
                          ? s
                          : s.withVerifier(
                              tokenId,
                              new ScimSession.TokenVerifier(
                                  v.salt(), v.hmac(), v.createdAt(), expiry));
                    },
                    CAS_ATTEMPTS))
        .compose(
            version ->
                db.inTenant(
                    tenantId,
                    conn ->
                        conn.preparedQuery(
                                "update bearer_tokens set expires_at = $3, replaced_by = $4,"
                                    + " rotated_at = now() where tenant_id = $1 and token_id = $2")
                            .execute(
                                Tuple.of(
                                    tenantId, tokenId, expiry.atOffset(ZoneOffset.UTC), newTokenId))
                            .compose(r -> Invalidations.notify(conn, Invalidations.token(tokenId)))
                            .compose(
                                r -> Invalidations.notify(conn, Invalidations.session(tenantId)))));
  }

  /**
   * Sets a tenant's status ({@code active} or {@code suspended}) and tells every instance at once:
   * a suspended tenant's tokens get 401 from the next request on. False if there is no such tenant
   * (or it is being deleted).
   */
  public Future<Boolean> setStatus(UUID tenantId, String status) {
    return db.pool()
        .withTransaction(
            conn ->
                conn.preparedQuery(
                        "update tenants set status = $2, updated_at = now() where id = $1 and"
                            + " status <> 'deleting'")
                    .execute(Tuple.of(tenantId, status))
                    .compose(
                        rows ->
                            Invalidations.notify(conn, Invalidations.tenant(tenantId))
                                .map(rows.rowCount() > 0)));
  }

  /** The tenant's session location, from the registry. */
  public Future<TenantSessionRef> tenantRef(UUID tenantId) {
    return db.pool()
        .preparedQuery("select " + TenantRecord.COLUMNS + " from tenants where id = $1")
        .execute(Tuple.of(tenantId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw new IllegalArgumentException("no tenant " + tenantId);
              }
              return TenantRecord.from(rows.iterator().next()).sessionRef();
            });
  }

  /** Read-modify-write of a session with check-and-set, retried on a lost race. */
  public Future<Long> updateSession(
      TenantSessionRef ref, UnaryOperator<ScimSession> change, int attempts) {
    return sessions
        .read(ref)
        .compose(
            (StoredSession stored) ->
                sessions.write(ref, change.apply(stored.session()), stored.version()))
        .recover(
            err ->
                err instanceof SessionConflictException && attempts > 1
                    ? updateSession(ref, change, attempts - 1)
                    : Future.failedFuture(err));
  }
}
