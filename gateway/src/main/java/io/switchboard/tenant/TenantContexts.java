package io.switchboard.tenant;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.scim.ScimException;
import io.switchboard.session.BearerToken;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionCodec;
import io.switchboard.session.SessionNotFoundException;
import io.switchboard.session.SessionStore;
import io.switchboard.session.SessionUnavailableException;
import io.switchboard.store.Database;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an {@code Authorization} header into a {@link TenantContext}: token id → database row
 * (cached for seconds) → tenant → scimsession (cached, single-flight, refreshed ahead of expiry,
 * served stale within a bound while its store is down) → constant-time checks of the secret against
 * both the row's hash and the session's verifier.
 *
 * <p>Every rejection is the same 401, whatever the reason, and costs the same hashing work. Usage:
 * {@code contexts.authenticate(header).onSuccess(ctx -> ...)}.
 */
public final class TenantContexts {
  private static final Logger LOG = LoggerFactory.getLogger(TenantContexts.class);
  private static final String RESOLVE_TOKEN =
      "select tenant_id, secret_hash, expires_at, revoked_at from sb_resolve_token($1)";
  private static final String LOAD_TENANT =
      "select " + TenantRecord.COLUMNS + " from tenants where id = $1";
  private static final String TOUCH_TOKEN =
      "update bearer_tokens set last_used_at = now() where tenant_id = $1 and token_id = $2";
  private static final byte[] DUMMY_HASH = BearerToken.sha256("switchboard-dummy");
  private static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  static final String UNAUTHORIZED =
      "The bearer token is missing, malformed, unknown, expired or revoked.";

  private final Vertx vertx;
  private final Database db;
  private final SessionStore sessions;
  private final Clock clock;
  private final AsyncLoadingCache<String, Optional<TokenRecord>> tokenCache;
  private final AsyncLoadingCache<UUID, TenantRecord> tenantCache;
  private final AsyncLoadingCache<UUID, Unlocked> sessionCache;
  private final AtomicLong sessionLoads = new AtomicLong();
  private final AtomicLong sessionLoadFailures = new AtomicLong();
  // tokens whose last_used_at was written lately: at most one write per token per minute
  private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> recentlyUsed =
      Caffeine.newBuilder().maximumSize(200_000).expireAfterWrite(Duration.ofMinutes(1)).build();

  /** A session and the keys derived from it. */
  record Unlocked(ScimSession session, TenantKeys keys, Instant loadedAt) {}

  /** Options for {@link #create}. */
  public record Options(Duration tokenTtl, Duration sessionRefresh, Duration sessionMaxStaleness) {}

  private TenantContexts(
      Vertx vertx, Database db, SessionStore sessions, Options options, Clock clock) {
    this.vertx = vertx;
    this.db = db;
    this.sessions = sessions;
    this.clock = clock;
    this.tokenCache =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterWrite(options.tokenTtl())
            .buildAsync((id, executor) -> toCompletable(loadToken(id)));
    this.tenantCache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(options.tokenTtl())
            .buildAsync((id, executor) -> toCompletable(loadTenant(id)));
    this.sessionCache =
        Caffeine.newBuilder()
            .maximumSize(100_000)
            .refreshAfterWrite(options.sessionRefresh())
            .expireAfterWrite(options.sessionMaxStaleness())
            .recordStats()
            .buildAsync((id, executor) -> toCompletable(unlock(id)));
  }

  public static TenantContexts create(
      Vertx vertx, Database db, SessionStore sessions, Options options) {
    return new TenantContexts(vertx, db, sessions, options, Clock.systemUTC());
  }

  /** Resolves and verifies an {@code Authorization} header value. */
  public Future<TenantContext> authenticate(String authorization) {
    Optional<BearerToken> parsed = parseBearer(authorization);
    if (parsed.isEmpty()) {
      MessageDigest.isEqual(DUMMY_HASH, BearerToken.sha256("x"));
      return Future.failedFuture(ScimException.unauthorized(UNAUTHORIZED));
    }
    BearerToken token = parsed.get();
    Context context = vertx.getOrCreateContext();
    return fromCompletable(tokenCache.get(token.tokenId()), context)
        .compose(
            record -> {
              byte[] expected = record.map(TokenRecord::secretHash).orElse(DUMMY_HASH);
              boolean secretOk = MessageDigest.isEqual(expected, token.secretHash());
              Instant now = clock.instant();
              if (record.isEmpty() || !secretOk || !record.get().usableAt(now)) {
                return Future.failedFuture(ScimException.unauthorized(UNAUTHORIZED));
              }
              UUID tenantId = record.get().tenantId();
              return fromCompletable(tenantCache.get(tenantId), context)
                  .compose(
                      tenant -> {
                        if (!tenant.active()) {
                          return Future.failedFuture(ScimException.unauthorized(UNAUTHORIZED));
                        }
                        return unlocked(tenantId, context)
                            .compose(
                                u -> {
                                  ScimSession.TokenVerifier v =
                                      u.session().verifiers().get(token.tokenId());
                                  if (v == null || !v.accepts(token.secret(), now)) {
                                    return Future.failedFuture(
                                        ScimException.unauthorized(UNAUTHORIZED));
                                  }
                                  touch(tenantId, token.tokenId());
                                  return Future.succeededFuture(
                                      new TenantContext(tenant, u.keys(), token.tokenId()));
                                });
                      });
            });
  }

  /**
   * The context of a tenant for work no bearer token started (a pull connector's sync): the same
   * registry row, session and keys a request would get, with {@code principal} (such as {@code
   * connector:google-workspace}) as the audit actor. Fails like a request would when the tenant is
   * not active or its session store cannot be reached.
   */
  public Future<TenantContext> forBackgroundWork(UUID tenantId, String principal) {
    Context context = vertx.getOrCreateContext();
    return fromCompletable(tenantCache.get(tenantId), context)
        .compose(
            tenant -> {
              if (!tenant.active()) {
                return Future.failedFuture(
                    new IllegalStateException("tenant " + tenantId + " is not active"));
              }
              return unlocked(tenantId, context)
                  .map(u -> new TenantContext(tenant, u.keys(), principal));
            });
  }

  private Future<Unlocked> unlocked(UUID tenantId, Context context) {
    return fromCompletable(sessionCache.get(tenantId), context)
        .recover(
            err -> {
              Throwable cause = unwrap(err);
              if (cause instanceof ScimException) {
                return Future.failedFuture(cause);
              }
              String detail =
                  cause instanceof SessionNotFoundException
                      ? "This organisation's key store holds no session for it; ask the operator"
                          + " to check its Vault connection."
                      : "This organisation's key store cannot be reached; retry later.";
              return Future.failedFuture(ScimException.unavailable(detail, RETRY_AFTER));
            });
  }

  /** Records when a token was last used (tenant-admin shows it), at most once a minute. */
  private void touch(UUID tenantId, String tokenId) {
    if (recentlyUsed.asMap().putIfAbsent(tokenId, Boolean.TRUE) != null) {
      return;
    }
    db.inTenant(
            tenantId,
            conn -> conn.preparedQuery(TOUCH_TOKEN).execute(Tuple.of(tenantId, tokenId)).mapEmpty())
        .onFailure(e -> LOG.debug("last use of a token not recorded: {}", safeMessage(e)));
  }

  private static Optional<BearerToken> parseBearer(String header) {
    if (header == null || header.length() < 8 || header.length() > 200) {
      return Optional.empty();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return BearerToken.parse(BearerToken.IDP_PREFIX, header.substring(7).trim());
  }

  private Future<Optional<TokenRecord>> loadToken(String tokenId) {
    return db.pool()
        .preparedQuery(RESOLVE_TOKEN)
        .execute(Tuple.of(tokenId))
        .map(
            rows -> {
              if (rows.size() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new TokenRecord(
                      row.getUUID("tenant_id"),
                      row.getBuffer("secret_hash").getBytes(),
                      instant(row.getOffsetDateTime("expires_at")),
                      instant(row.getOffsetDateTime("revoked_at"))));
            });
  }

  private Future<TenantRecord> loadTenant(UUID tenantId) {
    return db.pool()
        .preparedQuery(LOAD_TENANT)
        .execute(Tuple.of(tenantId))
        .map(
            (RowSet<Row> rows) -> {
              if (rows.size() == 0) {
                throw ScimException.unauthorized(UNAUTHORIZED);
              }
              return TenantRecord.from(rows.iterator().next());
            });
  }

  private Future<Unlocked> unlock(UUID tenantId) {
    long started = System.nanoTime();
    sessionLoads.incrementAndGet();
    return fromCompletable(tenantCache.get(tenantId), vertx.getOrCreateContext())
        .compose(tenant -> sessions.read(tenant.sessionRef()))
        .map(
            stored -> {
              if (!stored.session().tenantId().equals(tenantId)) {
                throw new SessionCodec.InvalidSessionException(
                    "the session belongs to another tenant");
              }
              return new Unlocked(
                  stored.session(), TenantKeys.derive(stored.session()), clock.instant());
            })
        .onSuccess(
            u ->
                LOG.debug(
                    "tenant {} unlocked in {} ms",
                    tenantId,
                    (System.nanoTime() - started) / 1_000_000))
        .onFailure(
            e -> {
              sessionLoadFailures.incrementAndGet();
              LOG.warn("tenant {} could not be unlocked: {}", tenantId, safeMessage(e));
            });
  }

  /** Forget a token (revoked, rotated) everywhere in this instance. */
  public void invalidateToken(String tokenId) {
    tokenCache.synchronous().invalidate(tokenId);
  }

  /** Forget a tenant's registry row (suspended, settings changed). */
  public void invalidateTenant(UUID tenantId) {
    tenantCache.synchronous().invalidate(tenantId);
  }

  /** Forget a tenant's session (a token added or removed, keys rotated, tenant deleted). */
  public void invalidateSession(UUID tenantId) {
    sessionCache.synchronous().invalidate(tenantId);
  }

  public void invalidateAll() {
    tokenCache.synchronous().invalidateAll();
    tenantCache.synchronous().invalidateAll();
    sessionCache.synchronous().invalidateAll();
  }

  /** Figures for metrics and the bench: cached tenants, loads, failures, hit rate. */
  public record Stats(long cachedSessions, long loads, long loadFailures, double hitRate) {}

  public Stats stats() {
    var s = sessionCache.synchronous().stats();
    return new Stats(
        sessionCache.synchronous().estimatedSize(),
        sessionLoads.get(),
        sessionLoadFailures.get(),
        s.hitRate());
  }

  private static String safeMessage(Throwable e) {
    Throwable c = unwrap(e);
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  private static Throwable unwrap(Throwable e) {
    Throwable c = e;
    while ((c instanceof java.util.concurrent.CompletionException
            || c instanceof java.util.concurrent.ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static <T> CompletableFuture<T> toCompletable(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture();
  }

  private static <T> Future<T> fromCompletable(CompletableFuture<T> cf, Context context) {
    return Future.fromCompletionStage(cf, context).recover(e -> Future.failedFuture(unwrap(e)));
  }

  static boolean isUnavailable(Throwable e) {
    return unwrap(e) instanceof SessionUnavailableException;
  }
}
