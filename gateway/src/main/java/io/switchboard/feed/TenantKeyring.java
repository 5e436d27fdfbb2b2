package io.switchboard.feed;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.session.SessionStore;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;

/**
 * A tenant's keys by tenant id, for work that has no bearer token behind it (webhook delivery, the
 * confirmer, tenant-admin reading the feed). Same source as request handling: the tenant's
 * scimsession from its session store; cached briefly, so revoking the tenant's Vault role stops its
 * background work within minutes.
 *
 * <p>Usage: {@code keyring.keys(tenantId).compose(keys -> ...)}.
 */
public final class TenantKeyring {
  private static final String TENANT =
      "select session_store, vault, status from tenants where id = $1";

  private final Vertx vertx;
  private final Database db;
  private final SessionStore sessions;
  private final AsyncLoadingCache<UUID, TenantKeys> cache;

  private TenantKeyring(Vertx vertx, Database db, SessionStore sessions, Duration ttl) {
    this.vertx = vertx;
    this.db = db;
    this.sessions = sessions;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(ttl)
            .buildAsync((id, executor) -> load(id).toCompletionStage().toCompletableFuture());
  }

  public static TenantKeyring create(Vertx vertx, Database db, SessionStore sessions) {
    return new TenantKeyring(vertx, db, sessions, Duration.ofMinutes(5));
  }

  public Future<TenantKeys> keys(UUID tenantId) {
    return Future.fromCompletionStage(cache.get(tenantId), vertx.getOrCreateContext())
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause()
                        : e));
  }

  private Future<TenantKeys> load(UUID tenantId) {
    return db.pool()
        .preparedQuery(TENANT)
        .execute(Tuple.of(tenantId))
        .compose(
            rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(
                    new IllegalStateException("no organisation " + tenantId));
              }
              var row = rows.iterator().next();
              Object vault = row.getValue("vault");
              TenantSessionRef ref =
                  new TenantSessionRef(
                      tenantId,
                      row.getString("session_store"),
                      vault instanceof JsonObject j ? j : null);
              return sessions.read(ref);
            })
        .map(stored -> TenantKeys.derive(stored.session()));
  }
}
