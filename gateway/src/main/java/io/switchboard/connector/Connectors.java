package io.switchboard.connector;

import io.switchboard.connector.google.GoogleEndpoints;
import io.switchboard.connector.google.GoogleWorkspaceConnector;
import io.switchboard.directory.Directory;
import io.switchboard.gateway.Switchboard;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.store.GroupStore;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pull connectors of every tenant on one instance: settings (credentials to the tenant's secrets
 * store, schedule to the database), "test", on-demand and scheduled syncs under a PostgreSQL lease
 * (so no two instances ever sync one tenant at once), and the status the fleet view shows.
 *
 * <p>Usage: {@code Connectors.create(switchboard, secrets, Options.fromEnv(env)).startScheduler()}.
 */
public final class Connectors {
  private static final Logger LOG = LoggerFactory.getLogger(Connectors.class);
  private static final Map<Switchboard, Connectors> BY_RUNTIME = new WeakHashMap<>();

  /**
   * @param instanceId this instance's name in the lease column
   * @param leaseTtl how long a lease lives without renewal (renewed every third of it)
   * @param pollInterval how often the scheduler looks for due tenants (0: no scheduler)
   * @param maxConcurrentSyncs syncs this instance runs at once, across tenants
   * @param writeParallelism directory changes one sync applies at once
   */
  public record Options(
      String instanceId,
      Duration leaseTtl,
      Duration pollInterval,
      int maxConcurrentSyncs,
      int writeParallelism,
      GoogleEndpoints google) {

    public static Options fromEnv(Map<String, String> env) {
      Duration poll =
          "false".equalsIgnoreCase(env.getOrDefault("SWITCHBOARD_CONNECTOR_SCHEDULER", "true"))
              ? Duration.ZERO
              : Duration.ofSeconds(30);
      return new Options(
          "instance-" + UUID.randomUUID().toString().substring(0, 8),
          Duration.ofMinutes(10),
          poll,
          4,
          8,
          GoogleEndpoints.fromEnv(env));
    }
  }

  /** The outcome of one sync as the API reports it. */
  public record SyncReport(
      boolean succeeded, long durationMs, JsonObject counts, String errorCode, String error) {
    public JsonObject toJson() {
      JsonObject out =
          new JsonObject()
              .put("status", succeeded ? "succeeded" : "failed")
              .put("durationMs", durationMs)
              .put("counts", counts);
      if (errorCode != null) {
        out.put("error", new JsonObject().put("code", errorCode).put("message", error));
      }
      return out;
    }
  }

  /** Another sync of this tenant is running (here or on another instance). */
  public static final class SyncBusy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyncBusy() {
      super("A sync of this organisation is already running.", null, false, false);
    }
  }

  private final Switchboard sb;
  private final Vertx vertx;
  private final ConnectorSecrets secrets;
  private final ConnectorRegistry registry;
  private final Map<SourceKind, Connector> connectors = new EnumMap<>(SourceKind.class);
  private final Options options;
  private final UserStore users;
  private final GroupStore groups;
  private final Directory directory;
  private final Set<UUID> running = ConcurrentHashMap.newKeySet();
  private long timer = -1;

  private Connectors(Switchboard sb, ConnectorSecrets secrets, Options options) {
    this.sb = sb;
    this.vertx = sb.vertx();
    this.secrets = secrets;
    this.options = options;
    this.registry = new ConnectorRegistry(sb.database());
    this.users = new UserStore(sb.database(), sb.clock());
    this.groups = new GroupStore(sb.database(), sb.clock());
    // the SCIM endpoints' service, so a sync's changes are validated and applied like a request's
    this.directory =
        new Directory(
            users,
            groups,
            new ServiceLimits(
                sb.config().maxResults(),
                ServiceLimits.DEFAULT.maxPatchOperations(),
                true,
                ServiceLimits.DEFAULT.bulkMaxOperations(),
                ServiceLimits.DEFAULT.bulkMaxPayloadSize()),
            Directory.SCAN_LIMIT);
    connectors.put(
        SourceKind.GOOGLE_WORKSPACE, GoogleWorkspaceConnector.create(vertx, options.google()));
  }

  public static Connectors create(Switchboard sb, ConnectorSecrets secrets, Options options) {
    return new Connectors(sb, secrets, options);
  }

  /**
   * The connectors of a runtime, created on first use from the environment: credentials beside each
   * tenant's session, in its Vault or (local tenants, dev) in the local session directory.
   */
  public static synchronized Connectors of(Switchboard sb) {
    return BY_RUNTIME.computeIfAbsent(
        sb,
        k -> {
          ConnectorSecrets local =
              sb.config().localSessions()
                  ? LocalConnectorSecrets.create(
                      sb.vertx(), sb.config().dataDir().resolve("sessions"))
                  : null;
          ConnectorSecrets vault = sb.vaultSessions().map(VaultConnectorSecrets::new).orElse(null);
          Connectors c =
              create(sb, ConnectorSecrets.routing(local, vault), Options.fromEnv(System.getenv()));
          c.startScheduler();
          return c;
        });
  }

  /** Replaces the connectors of a runtime (tests pointing Google at a local double). */
  public static synchronized void install(Switchboard sb, Connectors connectors) {
    Connectors old = BY_RUNTIME.put(sb, connectors);
    if (old != null && old != connectors) {
      old.stopScheduler();
    }
  }

  public ConnectorRegistry registry() {
    return registry;
  }

  // ---- settings

  /**
   * Sets a tenant's source. For a pull kind, {@code document} (credentials and settings) is
   * validated, then written to the tenant's secrets store, then the schedule to the database.
   * Switching to {@code scim-push} deletes the stored document.
   */
  public Future<JsonObject> configure(
      UUID tenantId,
      SourceKind kind,
      int intervalSeconds,
      DirectorySync.RemovalPolicy policy,
      JsonObject document) {
    Future<Void> stored;
    if (kind.pulls()) {
      Connector connector = connectors.get(kind);
      try {
        connector.validate(document);
      } catch (ConnectorException e) {
        return Future.failedFuture(e);
      }
      stored = sb.provisioning().tenantRef(tenantId).compose(ref -> secrets.write(ref, document));
    } else {
      stored = sb.provisioning().tenantRef(tenantId).compose(secrets::delete);
    }
    return stored
        .compose(v -> registry.upsert(tenantId, kind, intervalSeconds, policy))
        .compose(rec -> describe(tenantId));
  }

  /** The tenant's source, schedule, settings without key material, and last sync. */
  public Future<JsonObject> describe(UUID tenantId) {
    return record(tenantId)
        .compose(
            rec -> {
              JsonObject out = rec.statusJson();
              if (!rec.kind().pulls()) {
                return Future.succeededFuture(out);
              }
              return document(tenantId)
                  .map(
                      doc -> {
                        doc.ifPresent(
                            d -> out.put("settings", connectors.get(rec.kind()).describe(d)));
                        return out;
                      });
            });
  }

  public Future<JsonObject> status(UUID tenantId) {
    return record(tenantId).map(ConnectorRecord::statusJson);
  }

  private Future<ConnectorRecord> record(UUID tenantId) {
    return registry.get(tenantId).map(r -> r.orElseGet(() -> ConnectorRecord.scimPush(tenantId)));
  }

  private Future<Optional<JsonObject>> document(UUID tenantId) {
    return sb.provisioning().tenantRef(tenantId).compose(secrets::read);
  }

  // ---- test

  /** Runs every step of the connection and says which one failed and why. */
  public Future<ConnectionCheck> test(UUID tenantId) {
    return record(tenantId)
        .compose(
            rec -> {
              if (!rec.kind().pulls()) {
                return Future.failedFuture(
                    new ConnectorException(
                        ConnectorException.SETTINGS,
                        "This organisation's source is scim-push: there is no connector to"
                            + " test."));
              }
              return document(tenantId)
                  .compose(
                      doc ->
                          doc.isEmpty()
                              ? Future.failedFuture(
                                  new ConnectorException(
                                      ConnectorException.SETTINGS,
                                      "No connector credentials are stored for this"
                                          + " organisation."))
                              : connectors.get(rec.kind()).test(tenantId.toString(), doc.get()));
            });
  }

  // ---- sync

  /**
   * Runs one sync of the tenant now, under the tenant's lease. Fails with {@link SyncBusy} when one
   * is already running anywhere; otherwise always records the outcome, success or failure.
   */
  public Future<SyncReport> sync(UUID tenantId, String trigger) {
    if (!running.add(tenantId)) {
      return Future.failedFuture(new SyncBusy());
    }
    return registry
        .acquire(tenantId, options.instanceId(), options.leaseTtl())
        .compose(
            taken -> {
              if (!taken) {
                return Future.failedFuture(new SyncBusy());
              }
              return runLeased(tenantId, trigger);
            })
        .onComplete(ar -> running.remove(tenantId));
  }

  private Future<SyncReport> runLeased(UUID tenantId, String trigger) {
    long started = System.nanoTime();
    long renewEvery = Math.max(1000, options.leaseTtl().toMillis() / 3);
    long renewal =
        vertx.setPeriodic(
            renewEvery,
            id ->
                registry
                    .renew(tenantId, options.instanceId(), options.leaseTtl())
                    .onFailure(e -> LOG.warn("tenant {}: lease renewal failed", tenantId)));
    String requestId = "sync-" + UUID.randomUUID();
    JsonObject resume = new JsonObject().put("trigger", trigger).put("requestId", requestId);
    return record(tenantId)
        .compose(
            rec ->
                document(tenantId)
                    .compose(
                        doc -> {
                          if (doc.isEmpty()) {
                            return Future.failedFuture(
                                new ConnectorException(
                                    ConnectorException.SETTINGS,
                                    "No connector credentials are stored for this"
                                        + " organisation."));
                          }
                          Connector connector = connectors.get(rec.kind());
                          return registry
                              .phase(
                                  tenantId,
                                  options.instanceId(),
                                  resume.copy().put("phase", "reading"))
                              .compose(v -> connector.fetch(tenantId.toString(), doc.get()))
                              .onSuccess(
                                  snapshot ->
                                      LOG.info(
                                          "tenant {} read {} users and {} groups from {} in {} ms",
                                          tenantId,
                                          snapshot.users().size(),
                                          snapshot.groups().size(),
                                          rec.kind().wireName(),
                                          (System.nanoTime() - started) / 1_000_000))
                              .compose(
                                  snapshot ->
                                      registry
                                          .phase(
                                              tenantId,
                                              options.instanceId(),
                                              resume
                                                  .copy()
                                                  .put("phase", "applying")
                                                  .put("sourceUsers", snapshot.users().size())
                                                  .put("sourceGroups", snapshot.groups().size()))
                                          .compose(
                                              v ->
                                                  sb.contexts()
                                                      .forBackgroundWork(
                                                          tenantId,
                                                          TenantContext.CONNECTOR_PRINCIPAL
                                                              + rec.kind().wireName()))
                                          .compose(
                                              ctx ->
                                                  DirectorySync.run(
                                                      snapshot,
                                                      new ScimDirectoryWriter(
                                                          directory,
                                                          new StoreDirectoryWriter(
                                                              sb.database(),
                                                              users,
                                                              groups,
                                                              new WriteContext(ctx, requestId)),
                                                          ScimDirectoryWriter.request(
                                                              ctx, requestId, "/scim/v2")),
                                                      rec.removalPolicy(),
                                                      options.writeParallelism())));
                        }))
        .transform(
            ar -> {
              vertx.cancelTimer(renewal);
              long ms = (System.nanoTime() - started) / 1_000_000;
              SyncReport report;
              if (ar.succeeded() && ar.result().complete()) {
                report = new SyncReport(true, ms, ar.result().counts().toJson(), null, null);
              } else if (ar.succeeded()) {
                DirectorySync.Result r = ar.result();
                report =
                    new SyncReport(
                        false,
                        ms,
                        r.counts().toJson(),
                        ConnectorException.DIRECTORY_WRITE,
                        r.failedChanges()
                            + " directory changes failed (first: "
                            + safe(r.firstFailure())
                            + "); the next sync applies what is left.");
              } else {
                Throwable e = ar.cause();
                String code =
                    e instanceof ConnectorException c
                        ? c.code()
                        : ConnectorException.SOURCE_UNAVAILABLE;
                report = new SyncReport(false, ms, new JsonObject(), code, safe(e));
              }
              JsonObject state =
                  resume.copy().put("phase", report.succeeded() ? "done" : "interrupted");
              return registry
                  .finish(
                      tenantId,
                      options.instanceId(),
                      report.succeeded(),
                      ms,
                      report.counts(),
                      report.errorCode(),
                      report.error(),
                      state)
                  .compose(
                      v ->
                          registry.audit(
                              tenantId,
                              TenantContext.CONNECTOR_PRINCIPAL + "sync",
                              "connector.sync." + (report.succeeded() ? "succeeded" : "failed"),
                              requestId,
                              new JsonObject()
                                  .put("trigger", trigger)
                                  .put("durationMs", ms)
                                  .put("counts", report.counts())
                                  .put("errorCode", report.errorCode())))
                  .map(report)
                  .onSuccess(
                      r ->
                          LOG.info(
                              "tenant {} sync {} in {} ms: {} changes{}",
                              tenantId,
                              r.succeeded() ? "succeeded" : "failed",
                              ms,
                              r.counts().getInteger("applied", 0),
                              r.errorCode() == null ? "" : " (" + r.errorCode() + ")"));
            });
  }

  /** A failure's message only when it is one of ours (safe by construction); else its type. */
  private static String safe(Throwable e) {
    if (e instanceof ConnectorException c) {
      return c.getMessage();
    }
    if (e instanceof io.switchboard.scim.ScimException s) {
      return "SCIM " + s.status();
    }
    return e == null ? "unknown" : e.getClass().getSimpleName();
  }

  // ---- schedule

  /** Looks for due tenants every poll interval; each due tenant's sync runs on its own. */
  public Connectors startScheduler() {
    if (options.pollInterval().isZero() || timer >= 0) {
      return this;
    }
    timer = vertx.setPeriodic(options.pollInterval().toMillis(), id -> poll());
    return this;
  }

  public void stopScheduler() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** One scheduler pass (tests call it directly). */
  public Future<Integer> poll() {
    int free = options.maxConcurrentSyncs() - running.size();
    if (free <= 0) {
      return Future.succeededFuture(0);
    }
    return registry
        .due(free)
        .map(
            due -> {
              for (UUID tenant : due) {
                // not awaited: one tenant's slow or failing sync never holds up another's
                sync(tenant, "schedule")
                    .onFailure(
                        e -> {
                          if (!(e instanceof SyncBusy)) {
                            LOG.warn("tenant {} scheduled sync failed: {}", tenant, safe(e));
                          }
                        });
              }
              return due.size();
            })
        .onFailure(e -> LOG.warn("connector scheduler pass failed: {}", safe(e)));
  }

  /** The store the tenant's credentials are in (for tests and diagnostics). */
  public ConnectorSecrets secrets() {
    return secrets;
  }
}
