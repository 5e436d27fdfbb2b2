package io.switchboard.admin;

import io.switchboard.gateway.Switchboard;
import io.switchboard.http.BeforeBody;
import io.switchboard.http.RequestIds;
import io.switchboard.session.BearerToken;
import io.switchboard.session.SessionUnavailableException;
import io.switchboard.store.AccountKeyRotation;
import io.switchboard.tenant.Invalidations;
import io.switchboard.tenant.TenantActivity;
import io.switchboard.tenant.TenantProvisioning;
import io.switchboard.tenant.TenantRecord;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's REST API under {@code /admin/v1}, built from its OpenAPI document ({@code
 * admin/openapi.json}, served at {@code /admin/v1/openapi.json}) with the Vert.x OpenAPI router,
 * which validates every request against it before a handler runs. Every route requires an operator
 * key whose scope covers the organisation; every change is audited.
 *
 * <p>Usage: {@code AdminApi.create(vertx, switchboard, keys, scimUrl, metrics).onSuccess(api ->
 * api.mount(router))}.
 */
public final class AdminApi {
  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  static final String OPENAPI_RESOURCE = "admin/openapi.json";
  private static final String PRINCIPAL = "switchboard.admin.principal";
  static final Set<String> IDP_PROFILES =
      Set.of("entra", "okta", "onelogin", "jumpcloud", "rippling", "google", "generic");
  static final Duration DEFAULT_OVERLAP = Duration.ofHours(24);
  private static final int DEFAULT_PAGE = 50;
  private static final int FLEET_LIMIT = 1000;

  private final Switchboard switchboard;
  private final AdminKeys keys;
  private final TenantProvisioning provisioning;
  private final OrgDeletion deletion;
  private final String publicScimUrl;
  private final Router router;
  private final JsonObject document;
  private final OidcOperators oidc;

  private AdminApi(
      Switchboard switchboard,
      AdminKeys keys,
      String publicScimUrl,
      OrgDeletion deletion,
      RouterBuilder builder,
      JsonObject document,
      OidcOperators oidc) {
    this.switchboard = switchboard;
    this.keys = keys;
    this.provisioning = switchboard.provisioning();
    this.deletion = deletion;
    this.publicScimUrl = publicScimUrl;
    this.document = document;
    this.oidc = oidc;

    // request id and operator key come first, on the parent router (see mount), so an
    // unauthenticated client never makes us buffer a body
    builder.rootHandler(BodyHandler.create().setBodyLimit(1024 * 1024));

    // the API's table of contents; paths and request schemas are in admin/openapi.json
    on(builder, "createOrg", this::createOrg);
    on(builder, "listOrgs", this::listOrgs);
    on(builder, "getOrg", this::getOrg);
    on(builder, "updateOrg", this::updateOrg);
    on(builder, "deleteOrg", this::deleteOrg);
    on(builder, "suspendOrg", ctx -> setStatus(ctx, TenantRecord.SUSPENDED));
    on(builder, "resumeOrg", ctx -> setStatus(ctx, TenantRecord.ACTIVE));
    on(builder, "getSettings", this::getSettings);
    on(builder, "testVault", this::testVault);
    on(builder, "listAudit", this::listAudit);
    on(builder, "listTokens", this::listTokens);
    on(builder, "issueToken", this::issueToken);
    on(builder, "rotateToken", this::rotateToken);
    on(builder, "revokeToken", this::revokeToken);
    on(builder, "getKeys", this::getKeys);
    on(builder, "rotateKeys", this::rotateKeys);
    on(builder, "listAdminKeys", this::listAdminKeys);
    on(builder, "createAdminKey", this::createAdminKey);
    on(builder, "revokeAdminKey", this::revokeAdminKey);
    on(builder, "listOperatorAudit", this::listOperatorAudit);
    on(builder, "fleetStatus", this::fleetStatus);

    this.router = builder.createRouter();
    router.route().handler(ctx -> ctx.fail(AdminError.notFound("No such endpoint.")));
    router.route().failureHandler(AdminApi::failure);
  }

  /** Loads the OpenAPI document and builds the validated router. */
  public static Future<AdminApi> create(
      Vertx vertx,
      Switchboard switchboard,
      AdminKeys keys,
      String publicScimUrl,
      AdminMetrics metrics,
      java.util.Optional<AdminConfig.Oidc> oidcConfig) {
    JsonObject document;
    try (var in = AdminApi.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      document = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (Exception e) {
      return Future.failedFuture(new IllegalStateException("cannot read " + OPENAPI_RESOURCE, e));
    }
    OrgDeletion deletion = new OrgDeletion(switchboard.database(), switchboard.sessions());
    Future<OidcOperators> oidc =
        oidcConfig.map(c -> OidcOperators.start(vertx, c)).orElse(Future.succeededFuture(null));
    return oidc.compose(
            operators ->
                OpenAPIContract.from(vertx, document.copy())
                    .map(c -> new java.util.AbstractMap.SimpleImmutableEntry<>(c, operators)))
        .map(
            entry -> {
              OpenAPIContract contract = entry.getKey();
              metrics.useContract(contract);
              RouterBuilder builder =
                  RouterBuilder.create(
                      vertx,
                      contract,
                      io.vertx.ext.web.openapi.router.RequestExtractor.withBodyHandler());
              return new AdminApi(
                  switchboard, keys, publicScimUrl, deletion, builder, document, entry.getValue());
            })
        .compose(api -> deletion.resumePending().map(api));
  }

  /**
   * Mounts the API under {@code /admin/v1}: the OpenAPI document (no key needed), then request id
   * and operator key on every other route, then the validated routes.
   */
  public void mount(Router parent) {
    parent.get("/admin/v1/openapi.json").handler(this::serveDocument);
    parent.route("/admin/v1/*").handler(RequestIds::assign);
    parent.route("/admin/v1/*").handler(this::authenticate);
    parent.route("/admin/v1/*").handler(AdminApi::requireJson);
    FeedApi.mount(parent, switchboard);
    ConnectorApi.mount(parent, switchboard);
    parent.route("/admin/v1/*").subRouter(router);
    parent.route("/admin/v1/*").failureHandler(AdminApi::failure);
  }

  public Router router() {
    return router;
  }

  /** Stops background work (the OIDC key refresh). */
  public void close() {
    if (oidc != null) {
      oidc.close();
    }
  }

  /** The OpenAPI document, served as it is. */
  public void serveDocument(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end(document.encode());
  }

  private static void on(RouterBuilder builder, String operationId, Handler<RoutingContext> h) {
    // operator keys are checked by the root handler; the contract documents the scheme
    builder.getRoute(operationId).setDoSecurity(false).addHandler(h);
  }

  private void authenticate(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String credential =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim()
            : "";
    var principal =
        oidc != null && !credential.startsWith(BearerToken.ADMIN_PREFIX) && looksLikeJwt(credential)
            ? oidc.authenticate(credential)
            : keys.authenticate(header);
    BeforeBody.await(
        ctx,
        principal.map(p -> p.orElseThrow(AdminError::unauthorized)),
        p -> ctx.put(PRINCIPAL, p));
  }

  private static boolean looksLikeJwt(String credential) {
    return credential.length() < 8192 && credential.chars().filter(c -> c == '.').count() == 2;
  }

  /** A body, if any, is JSON: anything else is 415 before a byte of it is parsed. */
  private static void requireJson(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null) {
      String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
      if (!media.equals("application/json")) {
        ctx.fail(
            new AdminError(
                415, "unsupported_media_type", "Request bodies must be application/json."));
        return;
      }
    }
    ctx.next();
  }

  // ---------------------------------------------------------------- organisations

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
    UUID id = UUID.randomUUID();
    JsonObject settings = body.getJsonObject("settings", new JsonObject());
    parseSettings(settings);
    JsonObject vault =
        body.getJsonObject("vault") == null
            ? null
            : VaultConnectionSpec.seal(
                body.getJsonObject("vault"), null, switchboard.masterKey(), id, slug);
    provisioning
        .createTenant(
            id,
            new TenantProvisioning.NewTenant(
                slug,
                name,
                body.getString("idpProfile"),
                vault == null ? "local" : "vault",
                vault,
                settings))
        .compose(
            created ->
                audit(
                        ctx,
                        created.id(),
                        "admin.org.create",
                        "Org/" + created.id(),
                        new JsonObject()
                            .put("idpProfile", body.getString("idpProfile", "generic"))
                            .put("sessionStore", vault == null ? "local" : "vault"))
                    .compose(v -> loadOrg(created.id())))
        .onSuccess(org -> json(ctx, 201, org))
        .onFailure(
            err -> {
              if (err instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                ctx.fail(AdminError.conflict("An organisation with slug '" + slug + "' exists."));
              } else if (err instanceof SessionUnavailableException) {
                ctx.fail(
                    new AdminError(
                        503,
                        "unavailable",
                        "The organisation's session store cannot be written: " + err.getMessage()));
              } else {
                ctx.fail(err);
              }
            });
  }

  private void listOrgs(RoutingContext ctx) {
    AdminPrincipal principal = principal(ctx);
    int limit = limit(ctx);
    OffsetDateTime afterAt = null;
    UUID afterId = null;
    String cursor = ctx.queryParams().get("cursor");
    if (cursor != null) {
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
        afterAt = OffsetDateTime.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (RuntimeException e) {
        ctx.fail(AdminError.validation("cursor is not one this API returned."));
        return;
      }
    }
    UUID only = principal.fleet() ? null : principal.orgId();
    switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.LIST_ORGS)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    ctx.queryParams().get("status"),
                    ctx.queryParams().get("idpProfile"),
                    afterAt,
                    afterId,
                    only,
                    limit + 1)))
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              String next = null;
              int n = 0;
              for (Row row : rows) {
                if (++n > limit) {
                  break;
                }
                items.add(orgJson(row));
                next =
                    Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                            (row.getOffsetDateTime("created_at") + "|" + row.getUUID("id"))
                                .getBytes(StandardCharsets.UTF_8));
              }
              json(
                  ctx,
                  200,
                  new JsonObject().put("items", items).put("nextCursor", n > limit ? next : null));
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

  /**
   * "Test connection": logs in to the organisation's Vault afresh and reads its session, and
   * answers which step failed (dns, connect, tls, timeout, login, policy, server-error,
   * missing-session, invalid-session) or ok with the session's version. Always 200: the result is
   * the answer; nothing is changed.
   */
  private void testVault(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    loadRow(orgId)
        .compose(
            row -> {
              Object stored = row.getValue("vault");
              if (!(stored instanceof JsonObject json)) {
                throw new AdminError(
                    409,
                    "conflict",
                    "This organisation keeps its session in the local store; it has no Vault"
                        + " connection to test.");
              }
              var store =
                  switchboard
                      .vaultSessions()
                      .orElseThrow(
                          () ->
                              new AdminError(
                                  503,
                                  "unavailable",
                                  "Vault support is disabled on this instance"
                                      + " (SWITCHBOARD_VAULT_ENABLED=false)."));
              io.switchboard.vault.VaultConnection connection;
              try {
                connection = io.switchboard.vault.VaultConnection.fromJson(json);
              } catch (io.switchboard.vault.InvalidVaultConnectionException e) {
                throw AdminError.validation(
                    "The stored Vault connection is invalid: " + e.getMessage());
              }
              return store.diagnostics().test(connection, orgId);
            })
        .compose(
            result ->
                audit(
                        ctx,
                        orgId,
                        "admin.org.vault.test",
                        "Org/" + orgId,
                        new JsonObject().put("step", result.toJson().getString("step")))
                    .map(result))
        .onSuccess(result -> json(ctx, 200, result.toJson()))
        .onFailure(ctx::fail);
  }

  private void getSettings(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    loadOrg(orgId)
        .onSuccess(org -> json(ctx, 200, org.getJsonObject("settings")))
        .onFailure(ctx::fail);
  }

  private void updateOrg(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    JsonObject body = body(ctx);
    String name = body.getString("name");
    if (name != null && name.isBlank()) {
      ctx.fail(AdminError.validation("name must not be blank."));
      return;
    }
    String idp = body.getString("idpProfile");
    if ((idp != null || body.containsKey("vault")) && !principal(ctx).fleet()) {
      ctx.fail(AdminError.forbidden("Changing the IdP profile or Vault needs a fleet key."));
      return;
    }
    loadRow(orgId)
        .compose(
            row -> {
              JsonObject stored =
                  row.getValue("settings") instanceof JsonObject j ? j.copy() : new JsonObject();
              JsonObject changes = body.getJsonObject("settings", new JsonObject());
              // each setting given replaces the stored one; the others stay as they are
              changes.forEach(e -> stored.put(e.getKey(), e.getValue()));
              parseSettings(stored);
              JsonObject vault =
                  body.getJsonObject("vault") == null
                      ? null
                      : VaultConnectionSpec.seal(
                          body.getJsonObject("vault"),
                          row.getValue("vault") instanceof JsonObject j ? j : null,
                          switchboard.masterKey(),
                          orgId,
                          row.getString("slug"));
              return switchboard
                  .database()
                  .pool()
                  .withTransaction(
                      conn ->
                          conn.preparedQuery(AdminSql.UPDATE_ORG)
                              .execute(
                                  Tuple.from(
                                      java.util.Arrays.asList(
                                          orgId,
                                          name == null ? null : name.strip(),
                                          idp,
                                          stored,
                                          vault)))
                              .compose(
                                  r ->
                                      r.rowCount() == 0
                                          ? Future.failedFuture(
                                              AdminError.conflict(
                                                  "The organisation is being deleted."))
                                          : Invalidations.notify(
                                              conn, Invalidations.tenant(orgId))));
            })
        .compose(
            v ->
                audit(
                    ctx,
                    orgId,
                    "admin.org.update",
                    "Org/" + orgId,
                    new JsonObject()
                        .put("fields", new JsonArray(new ArrayList<>(body.fieldNames())))
                        .put(
                            "settings",
                            new JsonArray(
                                new ArrayList<>(
                                    body.getJsonObject("settings", new JsonObject())
                                        .fieldNames())))))
        .compose(v -> loadOrg(orgId))
        .onSuccess(org -> json(ctx, 200, org))
        .onFailure(ctx::fail);
  }

  private void setStatus(RoutingContext ctx, String status) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    if (!principal(ctx).fleet()) {
      ctx.fail(AdminError.forbidden("Suspending or resuming needs a fleet operator key."));
      return;
    }
    loadOrg(orgId)
        .compose(
            org ->
                "deleting".equals(org.getString("status"))
                    ? Future.failedFuture(AdminError.conflict("The organisation is being deleted."))
                    : provisioning.setStatus(orgId, status))
        .compose(
            changed ->
                audit(
                    ctx,
                    orgId,
                    TenantRecord.SUSPENDED.equals(status)
                        ? "admin.org.suspend"
                        : "admin.org.resume",
                    "Org/" + orgId,
                    new JsonObject()))
        .compose(v -> loadOrg(orgId))
        .onSuccess(org -> json(ctx, 200, org))
        .onFailure(ctx::fail);
  }

  private void deleteOrg(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    if (!principal(ctx).fleet()) {
      ctx.fail(AdminError.forbidden("Deleting an organisation needs a fleet operator key."));
      return;
    }
    String actor = principal(ctx).actor();
    deletion
        .start(orgId, actor, RequestIds.of(ctx))
        .compose(
            report ->
                operatorAudit(ctx, "admin.org.delete", "Org/" + orgId, report.toJson()).map(report))
        .onSuccess(report -> json(ctx, 202, report.toJson()))
        .onFailure(ctx::fail);
  }

  // ---------------------------------------------------------------- audit

  private void listAudit(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    int limit = limit(ctx);
    Long before = auditCursor(ctx);
    if (before != null && before < 0) {
      return;
    }
    loadOrg(orgId)
        .compose(
            org ->
                switchboard
                    .database()
                    .inTenant(
                        orgId,
                        conn ->
                            conn.preparedQuery(AdminSql.LIST_AUDIT)
                                .execute(Tuple.of(before, limit + 1))))
        .onSuccess(rows -> json(ctx, 200, auditPage(rows, limit)))
        .onFailure(ctx::fail);
  }

  private void listOperatorAudit(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    int limit = limit(ctx);
    Long before = auditCursor(ctx);
    if (before != null && before < 0) {
      return;
    }
    switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.LIST_OPERATOR_AUDIT)
        .execute(Tuple.of(before, limit + 1))
        .onSuccess(rows -> json(ctx, 200, auditPage(rows, limit)))
        .onFailure(ctx::fail);
  }

  /** The cursor (an audit id), null for the first page, or -1 after failing the request. */
  private static Long auditCursor(RoutingContext ctx) {
    String cursor = ctx.queryParams().get("cursor");
    if (cursor == null) {
      return null;
    }
    try {
      return Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      ctx.fail(AdminError.validation("cursor is not one this API returned."));
      return -1L;
    }
  }

  private static JsonObject auditPage(Iterable<Row> rows, int limit) {
    JsonArray items = new JsonArray();
    Long last = null;
    int n = 0;
    for (Row row : rows) {
      if (++n > limit) {
        break;
      }
      last = row.getLong("audit_id");
      Object details = row.getValue("details");
      items.add(
          new JsonObject()
              .put("id", last)
              .put("at", row.getOffsetDateTime("at").toInstant().toString())
              .put("actor", row.getString("actor"))
              .put("action", row.getString("action"))
              .put("target", row.getString("target"))
              .put("requestId", row.getString("request_id"))
              .put("details", details instanceof JsonObject j ? j : new JsonObject()));
    }
    return new JsonObject()
        .put("items", items)
        .put("nextCursor", n > limit ? String.valueOf(last) : null);
  }

  // ---------------------------------------------------------------- tokens

  private void listTokens(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    Instant now = Instant.now();
    loadOrg(orgId)
        .compose(
            org ->
                switchboard
                    .database()
                    .inTenant(
                        orgId,
                        conn -> conn.preparedQuery(AdminSql.LIST_TOKENS).execute(Tuple.of(orgId))))
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row row : rows) {
                Instant expires = instant(row, "expires_at");
                Instant revoked = instant(row, "revoked_at");
                String status =
                    revoked != null
                        ? "revoked"
                        : expires != null && !now.isBefore(expires)
                            ? "expired"
                            : row.getString("replaced_by") != null ? "expiring" : "active";
                items.add(
                    new JsonObject()
                        .put("id", row.getString("token_id"))
                        .put("label", row.getString("label"))
                        .put("status", status)
                        .put("createdAt", text(instant(row, "created_at")))
                        .put("lastUsedAt", text(instant(row, "last_used_at")))
                        .put("expiresAt", text(expires))
                        .put("revokedAt", text(revoked))
                        .put("replacedBy", row.getString("replaced_by")));
              }
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void issueToken(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    JsonObject body = body(ctx);
    Instant expiresAt = expiry(body);
    String label = body.getString("label", "");
    loadOrg(orgId)
        .compose(this::requireNotDeleting)
        .compose(org -> provisioning.issueToken(orgId, label, expiresAt))
        .compose(
            issued ->
                audit(
                        ctx,
                        orgId,
                        "admin.token.issue",
                        "Token/" + issued.tokenId(),
                        new JsonObject().put("label", label))
                    .map(issued))
        .onSuccess(issued -> json(ctx, 201, issuedJson(orgId, issued)))
        .onFailure(ctx::fail);
  }

  private void rotateToken(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    String tokenId = ctx.pathParam("tokenId");
    JsonObject body = body(ctx);
    Duration overlap =
        body.getValue("overlapSeconds") instanceof Number n
            ? Duration.ofSeconds(n.longValue())
            : DEFAULT_OVERLAP;
    Instant expiresAt = expiry(body);
    loadOrg(orgId)
        .compose(this::requireNotDeleting)
        .compose(
            org ->
                provisioning
                    .rotateToken(orgId, tokenId, overlap, expiresAt)
                    .recover(
                        err ->
                            Future.failedFuture(
                                err instanceof IllegalStateException
                                    ? AdminError.notFound(
                                        "No usable token "
                                            + tokenId
                                            + " (unknown, expired or"
                                            + " revoked).")
                                    : err)))
        .compose(
            rotation ->
                audit(
                        ctx,
                        orgId,
                        "admin.token.rotate",
                        "Token/" + tokenId,
                        new JsonObject()
                            .put("newToken", rotation.issued().tokenId())
                            .put("overlapSeconds", overlap.toSeconds()))
                    .map(rotation))
        .onSuccess(
            rotation ->
                json(
                    ctx,
                    201,
                    issuedJson(orgId, rotation.issued())
                        .put("replaces", rotation.oldTokenId())
                        .put("oldExpiresAt", rotation.oldExpiresAt().toString())))
        .onFailure(ctx::fail);
  }

  private void revokeToken(RoutingContext ctx) {
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    String tokenId = ctx.pathParam("tokenId");
    loadOrg(orgId)
        .compose(org -> provisioning.revokeToken(orgId, tokenId))
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

  // ---------------------------------------------------------------- account keys

  private void getKeys(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    loadOrg(orgId)
        .compose(org -> switchboard.keyRotation().status(orgId))
        .onSuccess(status -> json(ctx, 200, keyStatusJson(status)))
        .onFailure(ctx::fail);
  }

  private void rotateKeys(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    UUID orgId = orgId(ctx);
    if (orgId == null) {
      return;
    }
    AccountKeyRotation rotation = switchboard.keyRotation();
    loadOrg(orgId)
        .compose(this::requireNotDeleting)
        .compose(org -> rotation.status(orgId))
        .compose(
            before ->
                rotation
                    .start(orgId)
                    .compose(
                        after ->
                            audit(
                                    ctx,
                                    orgId,
                                    "admin.keys.rotate",
                                    "AccountKey/" + after.currentVersion(),
                                    new JsonObject()
                                        .put("fromVersion", before.currentVersion())
                                        .put("toVersion", after.currentVersion())
                                        .put(
                                            "resumed",
                                            before.currentVersion() == after.currentVersion()))
                                .map(after)))
        .onSuccess(status -> json(ctx, 202, keyStatusJson(status)))
        .onFailure(ctx::fail);
  }

  private static JsonObject keyStatusJson(AccountKeyRotation.KeyStatus s) {
    JsonObject byTable = new JsonObject();
    s.rowsByTable().forEach((table, counts) -> byTable.put(table, countsJson(counts)));
    return new JsonObject()
        .put("orgId", s.tenantId().toString())
        .put("currentVersion", s.currentVersion())
        .put("indexVersion", s.indexVersion())
        .put("sessionVersions", new JsonArray(new ArrayList<>(s.sessionVersions())))
        .put("rowsByVersion", countsJson(s.rowsByVersion()))
        .put("rowsByTable", byTable)
        .put("rowsToReencrypt", s.rowsToReencrypt())
        .put("retainedForIndex", new JsonArray(new ArrayList<>(s.retainedForIndex())))
        .put("state", s.state())
        .put("lastError", s.lastError());
  }

  private static JsonObject countsJson(Map<Integer, Long> counts) {
    JsonObject out = new JsonObject();
    counts.forEach((version, n) -> out.put(String.valueOf(version), n));
    return out;
  }

  // ---------------------------------------------------------------- operator keys

  private void listAdminKeys(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.LIST_ADMIN_KEYS)
        .execute()
        .onSuccess(
            rows -> {
              JsonArray items = new JsonArray();
              for (Row row : rows) {
                items.add(
                    new JsonObject()
                        .put("id", row.getString("key_id"))
                        .put("scope", row.getString("scope"))
                        .put("label", row.getString("label"))
                        .put("createdAt", text(instant(row, "created_at")))
                        .put("lastUsedAt", text(instant(row, "last_used_at")))
                        .put("revokedAt", text(instant(row, "revoked_at"))));
              }
              json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(ctx::fail);
  }

  private void createAdminKey(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    JsonObject body = body(ctx);
    String scope = body.getString("scope");
    String label = body.getString("label", "");
    Future<Void> scopeOk = Future.succeededFuture();
    if (scope.startsWith("org:")) {
      UUID org;
      try {
        org = UUID.fromString(scope.substring(4));
      } catch (IllegalArgumentException e) {
        ctx.fail(AdminError.validation("scope must be fleet or org:<organisation id>."));
        return;
      }
      scopeOk = loadOrg(org).mapEmpty();
    }
    scopeOk
        .compose(v -> keys.create(scope, label))
        .compose(
            key ->
                operatorAudit(
                        ctx,
                        "admin.key.create",
                        "AdminKey/" + key.keyId(),
                        new JsonObject().put("scope", scope).put("label", label))
                    .map(key))
        .onSuccess(
            key ->
                json(
                    ctx,
                    201,
                    new JsonObject()
                        .put("id", key.keyId())
                        .put("scope", key.scope())
                        .put("label", label)
                        .put("token", key.token())))
        .onFailure(
            err ->
                ctx.fail(
                    err instanceof AdminError e && e.status() == 404
                        ? AdminError.validation("scope names an organisation that does not exist.")
                        : err));
  }

  private void revokeAdminKey(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    String keyId = ctx.pathParam("keyId");
    if (keyId.equals(principal(ctx).keyId())) {
      // (an OIDC principal has no key id, so this never matches one)
      ctx.fail(AdminError.conflict("A key cannot revoke itself; use another fleet key."));
      return;
    }
    switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.REVOKE_ADMIN_KEY)
        .execute(Tuple.of(keyId))
        .compose(
            rows ->
                rows.rowCount() == 0
                    ? Future.failedFuture(AdminError.notFound("No such active operator key."))
                    : operatorAudit(ctx, "admin.key.revoke", "AdminKey/" + keyId, new JsonObject()))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  // ---------------------------------------------------------------- fleet

  private void fleetStatus(RoutingContext ctx) {
    if (!requireFleet(ctx)) {
      return;
    }
    var db = switchboard.database();
    Instant now = Instant.now();
    // what this instance recorded and has not flushed yet counts too
    switchboard
        .activity()
        .flush(db)
        .compose(v -> db.pool().preparedQuery(AdminSql.ORGS_BY_STATUS).execute())
        .compose(
            byStatus ->
                TenantActivity.inFleetScope(
                        db,
                        conn ->
                            conn.preparedQuery(AdminSql.FLEET_ORGS).execute(Tuple.of(FLEET_LIMIT)))
                    .map(
                        orgs -> {
                          Map<String, Long> counts = new TreeMap<>();
                          counts.put("active", 0L);
                          counts.put("suspended", 0L);
                          counts.put("deleting", 0L);
                          byStatus.forEach(r -> counts.put(r.getString("status"), r.getLong("n")));
                          JsonArray items = new JsonArray();
                          JsonArray attention = new JsonArray();
                          for (Row row : orgs) {
                            JsonObject org = fleetEntry(row, now);
                            items.add(org);
                            if (!org.getJsonArray("attention").isEmpty()) {
                              attention.add(org.getString("id"));
                            }
                          }
                          return new JsonObject()
                              .put("window", "PT5M")
                              .put(
                                  "orgsByStatus",
                                  new JsonObject(new java.util.LinkedHashMap<>(counts)))
                              .put("orgs", items)
                              .put("needsAttention", attention);
                        }))
        .compose(status -> FeedApi.withDeadLetters(db, status))
        .onSuccess(status -> json(ctx, 200, status))
        .onFailure(ctx::fail);
  }

  private static JsonObject fleetEntry(Row row, Instant now) {
    long requests = row.getLong("requests");
    long errors = row.getLong("errors");
    Instant lastRequest = instant(row, "last_request_at");
    Instant created = instant(row, "created_at");
    String status = row.getString("status");
    JsonArray attention = new JsonArray();
    if (!TenantRecord.ACTIVE.equals(status)) {
      attention.add(status);
    }
    if (errors >= 5 && errors * 20 > requests) {
      attention.add("errors");
    }
    if (TenantRecord.ACTIVE.equals(status)
        && created.isBefore(now.minus(Duration.ofDays(1)))
        && (lastRequest == null || lastRequest.isBefore(now.minus(Duration.ofDays(1))))) {
      attention.add("idle");
    }
    JsonObject entry =
        new JsonObject()
            .put("id", row.getUUID("id").toString())
            .put("slug", row.getString("slug"))
            .put("name", row.getString("name"))
            .put("status", status)
            .put("requests", requests)
            .put("errors", errors)
            .put("lastRequestAt", text(lastRequest))
            .put("lastProvisioningAt", text(instant(row, "last_write_at")))
            .put("attention", attention);
    ConnectorApi.fleetEntry(row, entry, attention);
    return entry;
  }

  // ---------------------------------------------------------------- helpers

  private Future<JsonObject> requireNotDeleting(JsonObject org) {
    return "deleting".equals(org.getString("status"))
        ? Future.failedFuture(AdminError.conflict("The organisation is being deleted."))
        : Future.succeededFuture(org);
  }

  private JsonObject issuedJson(UUID orgId, TenantProvisioning.IssuedToken issued) {
    return new JsonObject()
        .put("id", issued.tokenId())
        .put("orgId", orgId.toString())
        .put("token", issued.token())
        .put("scimUrl", publicScimUrl)
        .put("expiresAt", text(issued.expiresAt()));
  }

  private static Instant expiry(JsonObject body) {
    if (body.getValue("expiresInDays") instanceof Number days) {
      return Instant.now().plus(days.longValue(), ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    }
    return null;
  }

  private static void parseSettings(JsonObject settings) {
    try {
      TenantSettings.parse(settings);
    } catch (TenantSettings.InvalidSettingsException e) {
      throw AdminError.validation(String.join("; ", e.problems()) + ".");
    }
  }

  private boolean requireFleet(RoutingContext ctx) {
    if (!principal(ctx).fleet()) {
      ctx.fail(AdminError.forbidden("This needs a fleet operator key."));
      return false;
    }
    return true;
  }

  private Future<Row> loadRow(UUID id) {
    return switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.ORG_BY_ID)
        .execute(Tuple.of(id))
        .map(
            rows -> {
              if (rows.size() == 0) {
                throw AdminError.notFound("No such organisation.");
              }
              return rows.iterator().next();
            });
  }

  private Future<JsonObject> loadOrg(UUID id) {
    return loadRow(id).map(this::orgJson);
  }

  private JsonObject orgJson(Row row) {
    Object settings = row.getValue("settings");
    Object vault = row.getValue("vault");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("slug", row.getString("slug"))
        .put("name", row.getString("name"))
        .put("status", row.getString("status"))
        .put("idpProfile", row.getString("idp_profile"))
        .put("sessionStore", row.getString("session_store"))
        .put(
            "settings",
            TenantSettings.fromJson(settings instanceof JsonObject j ? j : null).toJson())
        .put("vault", VaultConnectionSpec.redact(vault instanceof JsonObject j ? j : null))
        .put("createdAt", text(instant(row, "created_at")))
        .put("updatedAt", text(instant(row, "updated_at")))
        .put("scimUrl", publicScimUrl);
  }

  private Future<Void> audit(
      RoutingContext ctx, UUID orgId, String action, String target, JsonObject details) {
    return switchboard
        .database()
        .inTenant(
            orgId,
            conn ->
                conn.preparedQuery(AdminSql.AUDIT)
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

  private Future<Void> operatorAudit(
      RoutingContext ctx, String action, String target, JsonObject details) {
    return switchboard
        .database()
        .pool()
        .preparedQuery(AdminSql.OPERATOR_AUDIT)
        .execute(Tuple.of(principal(ctx).actor(), action, target, RequestIds.of(ctx), details))
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

  private static int limit(RoutingContext ctx) {
    String v = ctx.queryParams().get("limit");
    return v == null ? DEFAULT_PAGE : Integer.parseInt(v);
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
    } catch (RuntimeException e) {
      throw AdminError.validation("The request body must be a JSON object.");
    }
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
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

  /** The one place errors become {@code {"error": {"code", "message"}}}. */
  static void failure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    AdminError error;
    if (f instanceof AdminError e) {
      error = e;
    } else if (f instanceof HttpException he && he.getStatusCode() == 400) {
      // the OpenAPI request validator: say what did not match the contract
      error = AdminError.validation(validationMessage(he));
    } else if (f instanceof HttpException he && he.getStatusCode() == 401) {
      error = AdminError.unauthorized();
    } else if (f instanceof HttpException he && he.getStatusCode() == 413) {
      error = new AdminError(413, "payload_too_large", "The request body is too large.");
    } else if (f == null || f instanceof HttpException) {
      int status = f instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
      error =
          switch (status) {
            case 413 -> new AdminError(413, "payload_too_large", "The request body is too large.");
            case 404 -> AdminError.notFound("No such endpoint.");
            case 405 -> new AdminError(405, "method_not_allowed", "Method not allowed.");
            case 400 -> AdminError.validation("The request is malformed.");
            default -> new AdminError(status, "error", "The request failed.");
          };
    } else {
      LOG.error("admin request {} failed", RequestIds.of(ctx), f);
      error = new AdminError(500, "internal", "Internal error. Request id: " + RequestIds.of(ctx));
    }
    if (ctx.response().ended()) {
      return;
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

  /** The validator's most specific findings ("/scope: String does not match pattern"). */
  private static String validationMessage(HttpException he) {
    String fallback = he.getPayload() != null ? he.getPayload() : "The request is invalid.";
    if (!(he.getCause() instanceof io.vertx.openapi.validation.SchemaValidationException sve)
        || sve.getOutputUnit() == null
        || sve.getOutputUnit().getErrors() == null) {
      return fallback;
    }
    java.util.LinkedHashSet<String> specific = new java.util.LinkedHashSet<>();
    for (var unit : sve.getOutputUnit().getErrors()) {
      String error = unit.getError();
      if (error != null
          && !error.contains("does not match schema")
          && !error.contains("additional properties schema")
          && !error.contains("subschema had errors")) {
        String where = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
        specific.add((where.startsWith("#") ? where.substring(1) : where) + ": " + error);
      }
    }
    if (specific.isEmpty()) {
      return fallback;
    }
    String where = fallback.startsWith("The value of the request body") ? "body" : "request";
    return "Invalid " + where + ": " + String.join("; ", specific.stream().limit(3).toList()) + ".";
  }
}
