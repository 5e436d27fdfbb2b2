package io.switchboard.admin;

import io.switchboard.gateway.Switchboard;
import io.switchboard.http.BeforeBody;
import io.switchboard.http.RequestIds;
import io.switchboard.tenant.TenantProvisioning;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.text.Normalizer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's REST API under {@code /admin/v1}: organisations and their bearer tokens. Every
 * route requires an operator key whose scope covers the organisation; every change is audited in
 * the organisation's audit log.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final String PRINCIPAL = "switchboard.admin.principal";
  private static final String ORG_COLUMNS =
      "id, slug, name, status, idp_profile, session_store, created_at";
  private static final String AUDIT =
      "insert into audit_log (tenant_id, actor, action, target, request_id, details)"
          + " values ($1, $2, $3, $4, $5, $6)";

  private final Switchboard switchboard;
  private final AdminKeys keys;
  private final TenantProvisioning provisioning;
  private final String publicScimUrl;

  private AdminApi(Switchboard switchboard, AdminKeys keys, String publicScimUrl) {
    this.switchboard = switchboard;
    this.keys = keys;
    this.provisioning = switchboard.provisioning();
    this.publicScimUrl = publicScimUrl;
  }

  /** Mounts the API on {@code router}; {@code publicScimUrl} is what IdPs are told to use. */
  public static void mount(
      Router router, Switchboard switchboard, AdminKeys keys, String publicScimUrl) {
    AdminApi api = new AdminApi(switchboard, keys, publicScimUrl);
    router.route("/admin/v1/*").handler(RequestIds::assign);
    router.route("/admin/v1/*").handler(api::authenticate);
    router.route("/admin/v1/*").handler(BodyHandler.create().setBodyLimit(1024 * 1024));

    router.post("/admin/v1/orgs").handler(api::createOrg);
    router.get("/admin/v1/orgs").handler(api::listOrgs);
    router.get("/admin/v1/orgs/:orgId").handler(api::getOrg);
    router.post("/admin/v1/orgs/:orgId/tokens").handler(api::issueToken);
    router.delete("/admin/v1/orgs/:orgId/tokens/:tokenId").handler(api::revokeToken);
    ConnectorApi.mount(router, switchboard);

    router.route("/admin/v1/*").failureHandler(AdminApi::failure);
  }

  private void authenticate(RoutingContext ctx) {
    BeforeBody.await(
        ctx,
        keys.authenticate(ctx.request().getHeader("Authorization"))
            .map(p -> p.orElseThrow(AdminError::unauthorized)),
        principal -> ctx.put(PRINCIPAL, principal));
  }

  private void createOrg(RoutingContext ctx) {
    AdminPrincipal principal = principal(ctx);
    if (!principal.fleet()) {
      ctx.fail(AdminError.forbidden("Creating organisations needs a fleet operator key."));
      return;
    }
    JsonObject body = body(ctx);
    String name = body.getString("name", "").strip();
    if (name.isEmpty() || name.length() > 200) {
      ctx.fail(AdminError.validation("name is required (1 to 200 characters)."));
      return;
    }
    String slug = body.getString("slug", slugOf(name));
    if (!SLUG.matcher(slug).matches()) {
      ctx.fail(
          AdminError.validation(
              "slug must be 1 to 63 lower-case letters, digits or dashes, starting with a letter"
                  + " or digit."));
      return;
    }
    provisioning
        .createTenant(
            new TenantProvisioning.NewTenant(
                slug, name, body.getString("idpProfile"), "local", null, null))
        .compose(
            created ->
                audit(
                        ctx,
                        created.id(),
                        "admin.org.create",
                        "Org/" + created.id(),
                        new JsonObject())
                    .compose(v -> loadOrg(created.id())))
        .onSuccess(org -> json(ctx, 201, org))
        .onFailure(
            err -> {
              if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                ctx.fail(AdminError.conflict("An organisation with slug '" + slug + "' exists."));
              } else {
                ctx.fail(err);
              }
            });
  }

  private void listOrgs(RoutingContext ctx) {
    AdminPrincipal principal = principal(ctx);
    switchboard
        .database()
        .pool()
        .preparedQuery("select " + ORG_COLUMNS + " from tenants order by created_at, id limit 1000")
        .execute()
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row row : rows) {
                if (principal.mayAccess(row.getUUID("id"))) {
                  items.add(orgJson(row));
                }
              }
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void getOrg(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    loadOrg(orgId).onSuccess(org -> json(ctx, 200, org)).onFailure(ctx::fail);
  }

  private void issueToken(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    JsonObject body = body(ctx);
    Instant expiresAt = null;
    if (body.getValue("expiresInDays") != null) {
      Integer days = body.getValue("expiresInDays") instanceof Integer i ? i : null;
      if (days == null || days < 1 || days > 3650) {
        ctx.fail(AdminError.validation("expiresInDays must be an integer from 1 to 3650."));
        return;
      }
      expiresAt = Instant.now().plus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }
    String label = body.getString("label", "");
    Instant expiry = expiresAt;
    loadOrg(orgId)
        .compose(org -> provisioning.issueToken(orgId, label, expiry))
        .compose(
            issued ->
                audit(
                        ctx,
                        orgId,
                        "admin.token.issue",
                        "Token/" + issued.tokenId(),
                        new JsonObject().put("label", label))
                    .map(issued))
        .onSuccess(
            issued ->
                json(
                    ctx,
                    201,
                    new JsonObject()
                        .put("id", issued.tokenId())
                        .put("orgId", orgId.toString())
                        .put("token", issued.token())
                        .put("scimUrl", publicScimUrl)
                        .put(
                            "expiresAt",
                            issued.expiresAt() == null ? null : issued.expiresAt().toString())))
        .onFailure(ctx::fail);
  }

  private void revokeToken(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    String tokenId = ctx.pathParam("tokenId");
    provisioning
        .revokeToken(orgId, tokenId)
        .compose(
            found -> {
              if (!found) {
                return Future.failedFuture(AdminError.notFound("No such token."));
              }
              return audit(ctx, orgId, "admin.token.revoke", "Token/" + tokenId, new JsonObject());
            })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  private Future<JsonObject> loadOrg(UUID id) {
    return switchboard
        .database()
        .pool()
        .preparedQuery("select " + ORG_COLUMNS + " from tenants where id = $1")
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw AdminError.notFound("No organisation " + id + ".");
              }
              return orgJson(rows.iterator().next());
            });
  }

  private JsonObject orgJson(Row row) {
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("slug", row.getString("slug"))
        .put("name", row.getString("name"))
        .put("status", row.getString("status"))
        .put("idpProfile", row.getString("idp_profile"))
        .put("sessionStore", row.getString("session_store"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString())
        .put("scimUrl", publicScimUrl);
  }

  private Future<Void> audit(
      RoutingContext ctx, UUID orgId, String action, String target, JsonObject details) {
    return switchboard
        .database()
        .inTenant(
            orgId,
            conn ->
                conn.preparedQuery(AUDIT)
                    .execute(
                        Tuple.of(
                            orgId,
                            principal(ctx).actor(),
                            action,
                            target,
                            RequestIds.of(ctx),
                            details)))
        .mapEmpty();
  }

  static UUID orgId(RoutingContext ctx) {
    UUID id;
    try {
      id = UUID.fromString(ctx.pathParam("orgId"));
    } catch (IllegalArgumentException e) {
      ctx.fail(AdminError.notFound("No such organisation."));
      return null;
    }
    if (!principal(ctx).mayAccess(id)) {
      // the same answer as for an organisation that does not exist
      ctx.fail(AdminError.notFound("No such organisation."));
      return null;
    }
    return id;
  }

  static AdminPrincipal principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().length() == 0) {
      return new JsonObject();
    }
    try {
      JsonObject json = ctx.body().asJsonObject();
      return json == null ? new JsonObject() : json;
    } catch (DecodeException | ClassCastException e) {
      throw AdminError.validation("The request body must be a JSON object.");
    }
  }

  static String slugOf(String name) {
    String ascii =
        Normalizer.normalize(name, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9]+", "-")
            .replaceAll("^-+|-+$", "");
    if (ascii.isEmpty()) {
      ascii = "org-" + UUID.randomUUID().toString().substring(0, 8);
    }
    return ascii.length() > 63 ? ascii.substring(0, 63).replaceAll("-+$", "") : ascii;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  static void failure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    AdminError error;
    if (f instanceof AdminError e) {
      error = e;
    } else if (f == null) {
      int status = ctx.statusCode();
      error =
          switch (status) {
            case 413 -> new AdminError(413, "payload_too_large", "The request body is too large.");
            case 404 -> AdminError.notFound("No such endpoint.");
            case 405 -> new AdminError(405, "method_not_allowed", "Method not allowed.");
            default -> new AdminError(status, "error", "The request failed.");
          };
    } else {
      LOG.error("admin request {} failed", RequestIds.of(ctx), f);
      error = new AdminError(500, "internal", "Internal error. Request id: " + RequestIds.of(ctx));
    }
    ctx.response()
        .setStatusCode(error.status())
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put(
                    "error",
                    new JsonObject().put("code", error.code()).put("message", error.getMessage()))
                .encode());
  }
}
