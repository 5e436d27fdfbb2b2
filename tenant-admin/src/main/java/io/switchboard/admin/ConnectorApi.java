package io.switchboard.admin;

import io.switchboard.connector.ConnectorException;
import io.switchboard.connector.Connectors;
import io.switchboard.connector.DirectorySync;
import io.switchboard.connector.SourceKind;
import io.switchboard.gateway.Switchboard;
import io.switchboard.http.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.UUID;

/**
 * {@code /admin/v1/orgs/{id}/connector}: an organisation's provisioning source (SCIM push or a pull
 * connector), its credentials (written to the organisation's own secrets store, never to the
 * database, never returned), "test", an on-demand sync and the sync status. Mounted by {@link
 * AdminApi} after authentication; every change is audited.
 */
final class ConnectorApi {
  private final Switchboard switchboard;

  private ConnectorApi(Switchboard switchboard) {
    this.switchboard = switchboard;
  }

  static void mount(Router router, Switchboard switchboard) {
    ConnectorApi api = new ConnectorApi(switchboard);
    // created now, not on first use, so the schedule runs even when nobody calls the API
    Connectors.of(switchboard);
    router.put("/admin/v1/orgs/:orgId/connector").handler(body()).handler(api::set);
    router.get("/admin/v1/orgs/:orgId/connector").handler(api::get);
    router.post("/admin/v1/orgs/:orgId/connector/test").handler(body()).handler(api::test);
    router.post("/admin/v1/orgs/:orgId/connector/sync").handler(body()).handler(api::sync);
    router.get("/admin/v1/orgs/:orgId/connector/status").handler(api::status);
  }

  private static BodyHandler body() {
    return BodyHandler.create().setBodyLimit(1024 * 1024);
  }

  private Connectors connectors() {
    return Connectors.of(switchboard);
  }

  /**
   * Body: {@code {"source": "google-workspace", "intervalSeconds": 3600, "removalPolicy":
   * "suspend", "settings": {"serviceAccountKey": {...}, "adminSubject": ..., "customerId": ...,
   * "groups": [...]}}} or {@code {"source": "scim-push"}}.
   */
  private void set(RoutingContext ctx) {
    UUID orgId = AdminApi.orgId(ctx);
    if (orgId == null) {
      return;
    }
    JsonObject body = AdminApi.body(ctx);
    SourceKind kind =
        SourceKind.parse(body.getString("source", ""))
            .orElseThrow(
                () -> AdminError.validation("source must be scim-push or google-workspace."));
    Object interval = body.getValue("intervalSeconds", 3600);
    if (!(interval instanceof Integer seconds) || seconds < 60 || seconds > 604_800) {
      ctx.fail(AdminError.validation("intervalSeconds must be an integer from 60 to 604800."));
      return;
    }
    DirectorySync.RemovalPolicy policy;
    try {
      policy = DirectorySync.RemovalPolicy.parse(body.getString("removalPolicy", "suspend"));
    } catch (IllegalArgumentException | ClassCastException e) {
      ctx.fail(AdminError.validation("removalPolicy must be suspend or delete."));
      return;
    }
    JsonObject document = null;
    if (kind.pulls()) {
      Object s = body.getValue("settings");
      if (!(s instanceof JsonObject settings)) {
        ctx.fail(AdminError.validation("settings are required for a pull connector."));
        return;
      }
      document = settings.copy().put("kind", kind.wireName());
      Object key = document.getValue("serviceAccountKey");
      if (key instanceof String text) {
        try {
          document.put("serviceAccountKey", new JsonObject(text));
        } catch (RuntimeException e) {
          ctx.fail(
              AdminError.validation(
                  "settings.serviceAccountKey must be the JSON key file (an object or its text)."));
          return;
        }
      }
    }
    JsonObject doc = document;
    exists(orgId)
        .compose(org -> connectors().configure(orgId, kind, (Integer) interval, policy, doc))
        .compose(
            described ->
                audit(
                        ctx,
                        orgId,
                        "admin.connector.set",
                        new JsonObject()
                            .put("source", kind.wireName())
                            .put("intervalSeconds", interval)
                            .put("removalPolicy", policy.wireName()))
                    .map(described))
        .onSuccess(described -> json(ctx, 200, described))
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private void get(RoutingContext ctx) {
    UUID orgId = AdminApi.orgId(ctx);
    if (orgId == null) {
      return;
    }
    exists(orgId)
        .compose(org -> connectors().describe(orgId))
        .onSuccess(d -> json(ctx, 200, d))
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private void test(RoutingContext ctx) {
    UUID orgId = AdminApi.orgId(ctx);
    if (orgId == null) {
      return;
    }
    exists(orgId)
        .compose(org -> connectors().test(orgId))
        .compose(
            check ->
                audit(
                        ctx,
                        orgId,
                        "admin.connector.test",
                        new JsonObject()
                            .put("ok", check.ok())
                            .put("code", check.toJson().getString("code")))
                    .map(check))
        .onSuccess(check -> json(ctx, 200, check.toJson()))
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private void sync(RoutingContext ctx) {
    UUID orgId = AdminApi.orgId(ctx);
    if (orgId == null) {
      return;
    }
    exists(orgId)
        .compose(org -> audit(ctx, orgId, "admin.connector.sync", new JsonObject()))
        .compose(v -> connectors().sync(orgId, "admin:" + RequestIds.of(ctx)))
        .onSuccess(report -> json(ctx, 200, report.toJson()))
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private void status(RoutingContext ctx) {
    UUID orgId = AdminApi.orgId(ctx);
    if (orgId == null) {
      return;
    }
    exists(orgId)
        .compose(org -> connectors().status(orgId))
        .onSuccess(s -> json(ctx, 200, s))
        .onFailure(err -> ctx.fail(mapped(err)));
  }

  private Future<Void> exists(UUID orgId) {
    return switchboard
        .database()
        .pool()
        .preparedQuery("select 1 from tenants where id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(orgId))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(AdminError.notFound("No organisation " + orgId + "."))
                    : Future.succeededFuture());
  }

  private Future<Void> audit(RoutingContext ctx, UUID orgId, String action, JsonObject details) {
    return connectors()
        .registry()
        .audit(orgId, AdminApi.principal(ctx).actor(), action, RequestIds.of(ctx), details);
  }

  /**
   * The connector part of a fleet-status entry: the source and, for a pull connector, the last sync
   * (time, duration, changes applied, error code). A failed last sync needs attention; a pull
   * tenant that synced within a day is not idle, although no IdP calls it.
   */
  static void fleetEntry(
      io.vertx.sqlclient.Row row, JsonObject entry, io.vertx.core.json.JsonArray attention) {
    String kind = row.getString("source_kind");
    if (kind == null || SourceKind.SCIM_PUSH.wireName().equals(kind)) {
      entry.put("source", SourceKind.SCIM_PUSH.wireName());
      return;
    }
    String status = row.getString("sync_status");
    java.time.OffsetDateTime finished = row.getOffsetDateTime("sync_finished_at");
    Object counts = row.getValue("sync_counts");
    JsonObject sync =
        new JsonObject()
            .put("status", status)
            .put("finishedAt", finished == null ? null : finished.toInstant().toString())
            .put("durationMs", row.getLong("sync_duration_ms"))
            .put(
                "applied",
                counts instanceof JsonObject c ? c.getInteger("applied", 0) : Integer.valueOf(0))
            .put("errorCode", row.getString("sync_error"));
    entry.put("source", kind).put("lastSync", sync);
    if ("failed".equals(status)) {
      attention.add("sync_failed");
    }
    if ("succeeded".equals(status)
        && finished != null
        && finished
            .toInstant()
            .isAfter(java.time.Instant.now().minus(java.time.Duration.ofDays(1)))) {
      attention.remove("idle");
    }
  }

  private static Throwable mapped(Throwable err) {
    if (err instanceof Connectors.SyncBusy busy) {
      return AdminError.conflict(busy.getMessage());
    }
    if (err instanceof ConnectorException c) {
      return switch (c.code()) {
        case ConnectorException.SECRETS_UNAVAILABLE, ConnectorException.SOURCE_UNAVAILABLE ->
            new AdminError(503, c.code(), c.getMessage());
        default -> new AdminError(400, c.code(), c.getMessage());
      };
    }
    return err;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
