package io.switchboard.admin;

import io.switchboard.feed.FeedEvent;
import io.switchboard.feed.FeedReader;
import io.switchboard.feed.FeedRetention;
import io.switchboard.feed.TenantKeyring;
import io.switchboard.feed.WebhookTargets;
import io.switchboard.feed.Webhooks;
import io.switchboard.gateway.Switchboard;
import io.switchboard.http.RequestIds;
import io.switchboard.lifecycle.AccountLifecycle;
import io.switchboard.lifecycle.ManagedGroups;
import io.switchboard.store.AccountGroups;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Tenant-admin routes for the account lifecycle and the change feed: pull the feed (with optional
 * long-poll), account status, managed-group state, webhook endpoints, their deliveries and manual
 * redelivery, and the fleet's dead letters. Mounted by {@link AdminApi} behind its authentication.
 */
final class FeedApi {
  private static final int MAX_LIMIT = 1000;
  private static final long MAX_WAIT_SECONDS = 30;
  private static final long LONG_POLL_STEP_MS = 200;
  private static final String AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";
  private static final String ORG_EXISTS = "select 1 from tenants where id = $1";
  private static final String DEAD_LETTERS =
      "select tenant_id, dead_letters from sb_webhook_dead_letters()";

  private final Vertx vertx;
  private final Database db;
  private final TenantKeyring keyring;
  private final Webhooks webhooks;

  private FeedApi(Switchboard switchboard) {
    this.vertx = switchboard.vertx();
    this.db = switchboard.database();
    this.keyring = TenantKeyring.create(vertx, db, switchboard.sessions());
    this.webhooks =
        new Webhooks(
            db, keyring, WebhookTargets.create(vertx, switchboard.config().webhookAllowPrivate()));
  }

  static void mount(Router router, Switchboard switchboard) {
    FeedApi api = new FeedApi(switchboard);
    router.get("/admin/v1/orgs/:orgId/events").handler(api::listEvents);
    router.get("/admin/v1/orgs/:orgId/users/:userId/status").handler(api::userStatus);
    router.get("/admin/v1/orgs/:orgId/groups/managed").handler(api::managedGroups);
    router.get("/admin/v1/orgs/:orgId/account-groups").handler(api::accountGroups);
    router
        .post("/admin/v1/orgs/:orgId/account-groups")
        .handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(api::registerAccountGroup);
    router
        .post("/admin/v1/orgs/:orgId/webhooks")
        .handler(BodyHandler.create().setBodyLimit(64 * 1024))
        .handler(api::createWebhook);
    router.get("/admin/v1/orgs/:orgId/webhooks").handler(api::listWebhooks);
    router.get("/admin/v1/orgs/:orgId/webhooks/:webhookId").handler(api::getWebhook);
    router.delete("/admin/v1/orgs/:orgId/webhooks/:webhookId").handler(api::deleteWebhook);
    router.get("/admin/v1/orgs/:orgId/webhooks/:webhookId/deliveries").handler(api::deliveries);
    router
        .post("/admin/v1/orgs/:orgId/webhooks/:webhookId/deliveries/:seq/redeliver")
        .handler(api::redeliver);
    router.get("/admin/v1/webhooks/dead-letters").handler(api::fleetDeadLetters);
  }

  private void listEvents(RoutingContext ctx) {
    UUID org = org(ctx);
    long after = longParam(ctx, "after", 0, 0, Long.MAX_VALUE);
    int limit = (int) longParam(ctx, "limit", 100, 1, MAX_LIMIT);
    long wait = longParam(ctx, "wait", 0, 0, MAX_WAIT_SECONDS);
    long deadline = System.currentTimeMillis() + wait * 1000;
    existing(org)
        .compose(v -> keyring.keys(org))
        .compose(
            keys ->
                poll(
                    deadline, () -> db.inTenant(org, c -> FeedReader.after(c, keys, after, limit))))
        // read after the events: a prune that committed meanwhile is seen here, never missed
        .compose(
            events ->
                db.inTenant(org, c -> FeedRetention.prunedSeq(c, org))
                    .compose(
                        pruned ->
                            after < pruned
                                ? Future.failedFuture(new CursorExpired(pruned))
                                : Future.succeededFuture(events)))
        .onSuccess(
            events -> {
              JsonArray items = new JsonArray();
              for (FeedEvent e : events) {
                items.add(new JsonObject(e.toJson().toString()));
              }
              long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
              json(
                  ctx,
                  200,
                  new JsonObject().put("items", items).put("nextCursor", String.valueOf(next)));
            })
        .onFailure(
            e -> {
              if (e instanceof CursorExpired expired) {
                json(
                    ctx,
                    410,
                    new JsonObject()
                        .put(
                            "error",
                            new JsonObject()
                                .put("code", "cursor_expired")
                                .put(
                                    "message",
                                    "Events up to "
                                        + expired.oldestCursor
                                        + " were pruned by the feed retention; the oldest"
                                        + " cursor served is oldestCursor.")
                                .put("oldestCursor", String.valueOf(expired.oldestCursor))));
              } else {
                ctx.fail(e);
              }
            });
  }

  /** A pull cursor below what retention kept; the oldest cursor still served. */
  private static final class CursorExpired extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long oldestCursor;

    CursorExpired(long oldestCursor) {
      super("cursor expired", null, false, false);
      this.oldestCursor = oldestCursor;
    }
  }

  /** Reads until something arrives or the deadline passes (long-poll; no wait: one read). */
  private Future<List<FeedEvent>> poll(
      long deadline, java.util.function.Supplier<Future<List<FeedEvent>>> read) {
    return read.get()
        .compose(
            events -> {
              if (!events.isEmpty() || System.currentTimeMillis() >= deadline) {
                return Future.succeededFuture(events);
              }
              Promise<Void> later = Promise.promise();
              vertx.setTimer(LONG_POLL_STEP_MS, t -> later.complete());
              return later.future().compose(v -> poll(deadline, read));
            });
  }

  private void userStatus(RoutingContext ctx) {
    UUID org = org(ctx);
    UUID user = uuid(ctx.pathParam("userId"), "No such user.");
    existing(org)
        .compose(v -> AccountLifecycle.status(db, org, user))
        .map(status -> status.orElseThrow(() -> AdminError.notFound("No such user.")))
        .onSuccess(status -> json(ctx, 200, status.toJson()))
        .onFailure(ctx::fail);
  }

  private void managedGroups(RoutingContext ctx) {
    UUID org = org(ctx);
    existing(org)
        .compose(v -> ManagedGroups.list(db, org))
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private void accountGroups(RoutingContext ctx) {
    UUID org = org(ctx);
    existing(org)
        .compose(v -> keyring.keys(org))
        .compose(keys -> AccountGroups.list(db, keys))
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  /** An operator imports a group the downstream account has; the IdP's POST will link to it. */
  private void registerAccountGroup(RoutingContext ctx) {
    UUID org = org(ctx);
    Object raw = body(ctx).getValue("displayName");
    if (!(raw instanceof String name) || name.isBlank() || name.length() > 256) {
      throw AdminError.validation(
          "displayName must be a non-empty string of at most 256 characters.");
    }
    existing(org)
        .compose(v -> keyring.keys(org))
        .compose(keys -> AccountGroups.register(db, keys, name))
        .compose(
            registered ->
                registered.isEmpty()
                    ? Future.failedFuture(
                        AdminError.conflict(
                            "The organisation already has an account group with this name."))
                    : audit(
                            ctx,
                            org,
                            "admin.account_group.register",
                            "AccountGroup/" + registered.get().getString("id"))
                        .map(registered.get()))
        .onSuccess(group -> json(ctx, 201, group))
        .onFailure(ctx::fail);
  }

  private void createWebhook(RoutingContext ctx) {
    UUID org = org(ctx);
    JsonObject body = body(ctx);
    String url = body.getString("url", "");
    if (!validUrl(url)) {
      throw AdminError.validation("url must be an absolute http or https URL.");
    }
    String description = body.getString("description", "");
    boolean fromStart = "start".equals(body.getString("from", "now"));
    existing(org)
        .compose(v -> webhooks.create(org, url, description, fromStart))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof WebhookTargets.Refused refused
                        ? new AdminError(400, refused.code(), refused.getMessage())
                        : e))
        .compose(
            created ->
                audit(
                        ctx,
                        org,
                        "admin.webhook.create",
                        "Webhook/" + created.endpoint().getString("id"))
                    .map(created))
        .onSuccess(
            created -> json(ctx, 201, created.endpoint().copy().put("secret", created.secret())))
        .onFailure(ctx::fail);
  }

  private void listWebhooks(RoutingContext ctx) {
    UUID org = org(ctx);
    existing(org)
        .compose(v -> webhooks.list(org))
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private void getWebhook(RoutingContext ctx) {
    UUID org = org(ctx);
    UUID id = uuid(ctx.pathParam("webhookId"), "No such webhook.");
    webhooks
        .get(org, id)
        .map(w -> w.orElseThrow(() -> AdminError.notFound("No such webhook.")))
        .onSuccess(w -> json(ctx, 200, w))
        .onFailure(ctx::fail);
  }

  private void deleteWebhook(RoutingContext ctx) {
    UUID org = org(ctx);
    UUID id = uuid(ctx.pathParam("webhookId"), "No such webhook.");
    webhooks
        .delete(org, id)
        .compose(
            found ->
                found
                    ? audit(ctx, org, "admin.webhook.delete", "Webhook/" + id)
                    : Future.failedFuture(AdminError.notFound("No such webhook.")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private void deliveries(RoutingContext ctx) {
    UUID org = org(ctx);
    UUID id = uuid(ctx.pathParam("webhookId"), "No such webhook.");
    String status = ctx.queryParams().get("status");
    if (status != null && !List.of("delivered", "dead_letter", "redeliver").contains(status)) {
      throw AdminError.validation("status must be delivered, dead_letter or redeliver.");
    }
    int limit = (int) longParam(ctx, "limit", 100, 1, MAX_LIMIT);
    webhooks
        .get(org, id)
        .compose(
            w ->
                w.isEmpty()
                    ? Future.failedFuture(AdminError.notFound("No such webhook."))
                    : webhooks.deliveries(org, id, status, limit))
        .onSuccess(items -> json(ctx, 200, new JsonObject().put("items", items)))
        .onFailure(ctx::fail);
  }

  private void redeliver(RoutingContext ctx) {
    UUID org = org(ctx);
    UUID id = uuid(ctx.pathParam("webhookId"), "No such webhook.");
    long seq;
    try {
      seq = Long.parseLong(ctx.pathParam("seq"));
    } catch (NumberFormatException e) {
      throw AdminError.notFound("No such event.");
    }
    webhooks
        .redeliver(org, id, seq)
        .compose(
            queued ->
                queued
                    ? audit(ctx, org, "admin.webhook.redeliver", "Webhook/" + id + "/" + seq)
                    : Future.failedFuture(
                        AdminError.notFound(
                            "No such webhook, or event " + seq + " was not sent to it yet.")))
        .onSuccess(v -> json(ctx, 202, new JsonObject().put("seq", seq).put("status", "redeliver")))
        .onFailure(ctx::fail);
  }

  private void fleetDeadLetters(RoutingContext ctx) {
    AdminPrincipal principal = AdminApi.principal(ctx);
    db.pool()
        .withTransaction(c -> c.preparedQuery(DEAD_LETTERS).execute())
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row row : rows) {
                if (principal.mayAccess(row.getUUID("tenant_id"))) {
                  items.add(
                      new JsonObject()
                          .put("orgId", row.getUUID("tenant_id").toString())
                          .put("deadLetters", row.getLong("dead_letters")));
                }
              }
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  /**
   * Adds webhook dead letters to the fleet status: per organisation ({@code webhookDeadLetters},
   * and {@code webhook_dead_letters} among what needs attention) and in total.
   */
  static Future<JsonObject> withDeadLetters(Database db, JsonObject status) {
    return db.pool()
        .withTransaction(c -> c.preparedQuery(DEAD_LETTERS).execute())
        .map(
            rows -> {
              java.util.Map<String, Long> byOrg = new java.util.HashMap<>();
              long total = 0;
              for (Row row : rows) {
                byOrg.put(row.getUUID("tenant_id").toString(), row.getLong("dead_letters"));
                total += row.getLong("dead_letters");
              }
              JsonArray needs = status.getJsonArray("needsAttention", new JsonArray());
              JsonArray orgs = status.getJsonArray("orgs", new JsonArray());
              for (int i = 0; i < orgs.size(); i++) {
                JsonObject org = orgs.getJsonObject(i);
                Long dead = byOrg.get(org.getString("id"));
                org.put("webhookDeadLetters", dead == null ? 0L : dead);
                if (dead != null && dead > 0) {
                  org.getJsonArray("attention", new JsonArray()).add("webhook_dead_letters");
                  if (!needs.contains(org.getString("id"))) {
                    needs.add(org.getString("id"));
                  }
                }
              }
              return status.put("webhookDeadLetters", total);
            });
  }

  private UUID org(RoutingContext ctx) {
    UUID id = uuid(ctx.pathParam("orgId"), "No such organisation.");
    if (!AdminApi.principal(ctx).mayAccess(id)) {
      throw AdminError.notFound("No such organisation.");
    }
    return id;
  }

  private Future<Void> existing(UUID org) {
    return db.pool()
        .preparedQuery(ORG_EXISTS)
        .execute(Tuple.of(org))
        .compose(
            rows ->
                rows.size() == 0
                    ? Future.failedFuture(AdminError.notFound("No organisation " + org + "."))
                    : Future.succeededFuture());
  }

  private Future<Void> audit(RoutingContext ctx, UUID org, String action, String target) {
    return db.inTenant(
            org,
            c ->
                c.preparedQuery(AUDIT)
                    .execute(
                        Tuple.of(
                            org,
                            AdminApi.principal(ctx).actor(),
                            action,
                            target,
                            RequestIds.of(ctx),
                            new JsonObject())))
        .mapEmpty();
  }

  private static UUID uuid(String value, String notFound) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw AdminError.notFound(notFound);
    }
  }

  private static long longParam(RoutingContext ctx, String name, long def, long min, long max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || raw.isBlank()) {
      return def;
    }
    try {
      long v = Long.parseLong(raw.strip());
      if (v < min || v > max) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw AdminError.validation(name + " must be an integer from " + min + " to " + max + ".");
    }
  }

  private static boolean validUrl(String url) {
    try {
      URI u = URI.create(url);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          && u.getHost() != null
          && url.length() <= 2000;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      JsonObject json = ctx.body().asJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (RuntimeException e) {
      throw AdminError.validation("The request body must be a JSON object.");
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }
}
