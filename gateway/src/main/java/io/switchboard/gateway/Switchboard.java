package io.switchboard.gateway;

import io.switchboard.crypto.MasterKey;
import io.switchboard.feed.FeedSequencer;
import io.switchboard.migrations.Migrations;
import io.switchboard.session.LocalSessionStore;
import io.switchboard.session.SessionStore;
import io.switchboard.session.SessionStores;
import io.switchboard.store.Database;
import io.switchboard.tenant.Invalidations;
import io.switchboard.tenant.TenantActivity;
import io.switchboard.tenant.TenantContexts;
import io.switchboard.tenant.TenantLimiter;
import io.switchboard.tenant.TenantProvisioning;
import io.switchboard.vault.GatewayJwtSigner;
import io.switchboard.vault.VaultSessionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled runtime both services share: migrated database, service-role pool, session stores,
 * tenant contexts (with cross-instance invalidation) and provisioning. The gateway's and
 * tenant-admin's HTTP servers are started on top of one of these; {@code switchboard dev} runs both
 * on the same one.
 *
 * <p>Usage: {@code Switchboard.boot(vertx, config).compose(sb -> GatewayServer.start(sb))}.
 */
public final class Switchboard {
  private static final Logger LOG = LoggerFactory.getLogger(Switchboard.class);
  private static final long ACTIVITY_FLUSH_MILLIS = 5_000;

  // how often each instance looks for feed events no one has sequenced yet (see FeedSequencer)
  private static final long FEED_SWEEP_MILLIS = 200;
  private final FeedSequencer feedSequencer;
  private final Vertx vertx;
  private final GatewayConfig config;
  private final Database database;
  private final SessionStore sessions;
  private final TenantContexts contexts;
  private final TenantProvisioning provisioning;
  private final MasterKey masterKey;
  private final GatewayJwtSigner jwtSigner;
  private final VaultSessionStore vaultSessions;
  private final Clock clock;
  private final TenantLimiter limiter;
  private final TenantActivity activity;
  private final io.switchboard.store.AccountKeyRotation keyRotation;
  private Invalidations invalidations;
  private long activityTimer = -1;

  private Switchboard(
      Vertx vertx,
      GatewayConfig config,
      Database database,
      SessionStore sessions,
      TenantContexts contexts,
      MasterKey masterKey,
      GatewayJwtSigner jwtSigner,
      VaultSessionStore vaultSessions) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.sessions = sessions;
    this.contexts = contexts;
    this.provisioning = TenantProvisioning.create(database, sessions);
    this.masterKey = masterKey;
    this.jwtSigner = jwtSigner;
    this.vaultSessions = vaultSessions;
    this.clock = Clock.systemUTC();
    this.limiter = TenantLimiter.create();
    this.activity = TenantActivity.create(clock);
    this.feedSequencer = FeedSequencer.start(vertx, database, FEED_SWEEP_MILLIS);
    database.afterFeedCommit(feedSequencer::committed);
    this.keyRotation =
        io.switchboard.store.AccountKeyRotation.create(
            vertx,
            database,
            sessions,
            provisioning,
            io.switchboard.store.AccountKeyRotation.Options.defaults());
  }

  /** Migrates (if configured), connects and starts listening for invalidations. */
  public static Future<Switchboard> boot(Vertx vertx, GatewayConfig config) {
    MasterKey masterKey;
    GatewayJwtSigner signer;
    try {
      masterKey = MasterKey.parse(config.masterKey());
      signer = config.vault().signer();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          new GatewayConfig.InvalidConfigException(java.util.List.of(e.getMessage())));
    }
    Future<Void> migrated =
        config.runMigrations()
            ? vertx.executeBlocking(
                () -> {
                  Migrations.apply(config.databaseUrl(), config.appUser(), config.appPassword());
                  return null;
                },
                false)
            : Future.succeededFuture();
    return migrated.compose(
        v -> {
          Database db =
              Database.create(
                  vertx, config.appDatabaseUrl(), config.dbPoolSize() * config.eventLoops());
          SessionStore local =
              config.localSessions()
                  ? LocalSessionStore.create(vertx, config.dataDir().resolve("sessions"))
                  : null;
          VaultSessionStore vaultStore =
              config.vault().enabled()
                  ? VaultSessionStore.create(vertx, config.vault(), masterKey, signer)
                  : null;
          SessionStore sessions = SessionStores.of(local, vaultStore);
          TenantContexts contexts =
              TenantContexts.create(
                  vertx,
                  db,
                  sessions,
                  new TenantContexts.Options(
                      config.tokenCacheTtl(),
                      config.sessionRefresh(),
                      config.sessionMaxStaleness()));
          Switchboard sb =
              new Switchboard(vertx, config, db, sessions, contexts, masterKey, signer, vaultStore);
          return Invalidations.listen(vertx, config.appDatabaseUrl(), contexts)
              .map(
                  inv -> {
                    sb.invalidations = inv;
                    sb.activityTimer = sb.activity.flushEvery(vertx, db, ACTIVITY_FLUSH_MILLIS);
                    LOG.info("switchboard runtime ready ({})", config);
                    return sb;
                  });
        });
  }

  /** Account-key rotation for this runtime's tenants (tenant-admin starts it). */
  public io.switchboard.store.AccountKeyRotation keyRotation() {
    return keyRotation;
  }

  public Vertx vertx() {
    return vertx;
  }

  public GatewayConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public SessionStore sessions() {
    return sessions;
  }

  public TenantContexts contexts() {
    return contexts;
  }

  public TenantProvisioning provisioning() {
    return provisioning;
  }

  public MasterKey masterKey() {
    return masterKey;
  }

  /** Signs the gateway's Vault JWT logins; its keys are served at /.well-known/jwks.json. */
  public GatewayJwtSigner jwtSigner() {
    return jwtSigner;
  }

  /** The Vault store (diagnostics, tests); empty when SWITCHBOARD_VAULT_ENABLED=false. */
  public java.util.Optional<VaultSessionStore> vaultSessions() {
    return java.util.Optional.ofNullable(vaultSessions);
  }

  /** Per-tenant rate limit and concurrency cap; the SCIM router acquires a permit per request. */
  public TenantLimiter limiter() {
    return limiter;
  }

  /** Per-tenant request counts for the fleet view; the SCIM router records each request. */
  public TenantActivity activity() {
    return activity;
  }

  public Clock clock() {
    return clock;
  }

  public Future<Void> close() {
    feedSequencer.stop();
    if (activityTimer >= 0) {
      vertx.cancelTimer(activityTimer);
    }
    // what is still in memory goes to the database before the pool closes
    Future<Void> flushed = activity.flush(database).transform(v -> Future.succeededFuture());
    return flushed
        .transform(
            v -> invalidations == null ? Future.<Void>succeededFuture() : invalidations.close())
        .transform(
            v -> vaultSessions == null ? Future.<Void>succeededFuture() : vaultSessions.close())
        .transform(v -> database.close());
  }
}
