package io.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.directory.BulkProcessor;
import io.switchboard.directory.Directory;
import io.switchboard.gateway.Switchboard;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.query.ListQuery;
import io.switchboard.scim.schema.DiscoveryDocuments;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaRegistry;
import io.switchboard.store.GroupStore;
import io.switchboard.store.UserStore;
import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantLimiter;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * The SCIM 2.0 endpoints under {@code /scim/v2} (RFC 7644 §3.2). Requests are first rerouted to
 * their canonical path (IdPs vary case and trailing slashes), authenticated by bearer token before
 * any body byte is read, then parsed and handed to the {@link Directory}. Every failure becomes a
 * SCIM error body in {@link ScimErrors}.
 *
 * <p>Usage: {@code ScimRouter.mount(router, switchboard)}.
 */
public final class ScimRouter {
  static final String TENANT = "switchboard.tenant";
  private static final String P = ScimPaths.PREFIX;

  private final Switchboard switchboard;
  private final Directory directory;
  private final BulkProcessor bulk;
  private final SchemaRegistry registry = SchemaRegistry.standard();
  private final Cache<String, DiscoveryDocuments> discovery =
      Caffeine.newBuilder().maximumSize(32).build();

  private ScimRouter(Switchboard switchboard) {
    this.switchboard = switchboard;
    ServiceLimits limits =
        new ServiceLimits(
            switchboard.config().maxResults(),
            ServiceLimits.DEFAULT.maxPatchOperations(),
            true,
            ServiceLimits.DEFAULT.bulkMaxOperations(),
            Math.max(4 * 1024 * 1024, switchboard.config().maxBodyBytes()));
    this.directory =
        new Directory(
            new UserStore(switchboard.database(), switchboard.clock()),
            new GroupStore(switchboard.database(), switchboard.clock()),
            limits,
            Directory.SCAN_LIMIT);
    this.bulk = new BulkProcessor(directory, limits);
  }

  public static void mount(Router router, Switchboard switchboard) {
    ScimRouter scim = new ScimRouter(switchboard);
    ServiceLimits limits = scim.directory.limits();

    router.route(P + "*").handler(scim::canonicalise);
    router.route(P + "*").handler(scim::authenticate);
    router.route(P + "*").handler(scim::limit);
    router.route(P + "*").handler(ScimRouter::checkContentType);
    router
        .route(P + "*")
        .handler(
            BodyHandler.create(false)
                .setBodyLimit(
                    Math.max(switchboard.config().maxBodyBytes(), limits.bulkMaxPayloadSize())));
    router.route(P + "*").handler(scim::checkBodySize);

    router.get(P + "/ServiceProviderConfig").handler(scim::serviceProviderConfig);
    router.get(P + "/ResourceTypes").handler(scim::resourceTypes);
    router.get(P + "/ResourceTypes/:id").handler(scim::resourceType);
    router.get(P + "/Schemas").handler(scim::schemas);
    router.get(P + "/Schemas/:id").handler(scim::schema);

    router.get(P + "/Users").handler(ctx -> scim.list(ctx, ResourceType.USER));
    router.post(P + "/Users").handler(ctx -> scim.create(ctx, ResourceType.USER));
    router.post(P + "/Users/.search").handler(ctx -> scim.search(ctx, ResourceType.USER));
    router.get(P + "/Users/:id").handler(ctx -> scim.get(ctx, ResourceType.USER));
    router.put(P + "/Users/:id").handler(ctx -> scim.replace(ctx, ResourceType.USER));
    router.patch(P + "/Users/:id").handler(ctx -> scim.patch(ctx, ResourceType.USER));
    router.delete(P + "/Users/:id").handler(ctx -> scim.delete(ctx, ResourceType.USER));

    router.get(P + "/Groups").handler(ctx -> scim.list(ctx, ResourceType.GROUP));
    router.post(P + "/Groups").handler(ctx -> scim.create(ctx, ResourceType.GROUP));
    router.post(P + "/Groups/.search").handler(ctx -> scim.search(ctx, ResourceType.GROUP));
    router.get(P + "/Groups/:id").handler(ctx -> scim.get(ctx, ResourceType.GROUP));
    router.put(P + "/Groups/:id").handler(ctx -> scim.replace(ctx, ResourceType.GROUP));
    router.patch(P + "/Groups/:id").handler(ctx -> scim.patch(ctx, ResourceType.GROUP));
    router.delete(P + "/Groups/:id").handler(ctx -> scim.delete(ctx, ResourceType.GROUP));

    router.post(P + "/.search").handler(scim::searchAll);
    router.post(P + "/Bulk").handler(scim::bulk);
    router.route(P + "/Me").handler(ScimRouter::me);
  }

  // ---- pipeline

  /** IdPs send {@code /scim/v2/users/} and {@code /SCIM/V2/Groups}: serve the canonical route. */
  private void canonicalise(RoutingContext ctx) {
    String path = ctx.request().path();
    String canonical = ScimPaths.canonical(path);
    if (canonical != null && !canonical.equals(path)) {
      String query = ctx.request().query();
      ctx.reroute(ctx.request().method(), query == null ? canonical : canonical + "?" + query);
      return;
    }
    ctx.next();
  }

  private void authenticate(RoutingContext ctx) {
    BeforeBody.await(
        ctx,
        switchboard.contexts().authenticate(singleAuthorization(ctx)),
        tenant -> {
          ctx.put(TENANT, tenant);
          ctx.put(RequestLog.TENANT_KEY, tenant.tenantId());
        });
  }

  /**
   * The one Authorization header, or null (→ the usual 401) when there are several: a proxy and
   * this server could otherwise disagree about which credential a request carries.
   */
  private static String singleAuthorization(RoutingContext ctx) {
    var values = ctx.request().headers().getAll("Authorization");
    return values.size() == 1 ? values.get(0) : null;
  }

  /**
   * Per-tenant token bucket and concurrency cap (429 with Retry-After), held until the response
   * ends; every answered request is counted for the fleet view.
   */
  private void limit(RoutingContext ctx) {
    TenantContext tenant = ctx.get(TENANT);
    TenantLimiter.Permit permit = switchboard.limiter().tryAcquire(tenant);
    HttpMethod m = ctx.request().method();
    boolean write = m != HttpMethod.GET && m != HttpMethod.HEAD;
    ctx.addEndHandler(
        v -> {
          permit.release();
          switchboard.activity().record(tenant.tenantId(), ctx.response().getStatusCode(), write);
        });
    ctx.next();
  }

  private static void checkContentType(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    boolean hasBody = m == HttpMethod.POST || m == HttpMethod.PUT || m == HttpMethod.PATCH;
    if (hasBody && !ScimMediaType.acceptable(ctx.request().getHeader("Content-Type"))) {
      ctx.fail(
          ScimException.unsupportedMediaType(
              "The request body must be application/scim+json or application/json."));
      return;
    }
    ctx.next();
  }

  /** Only /Bulk may use the larger bulk payload limit; everything else has the body limit. */
  private void checkBodySize(RoutingContext ctx) {
    int max = switchboard.config().maxBodyBytes();
    if (!ctx.request().path().endsWith("/Bulk")
        && ctx.body().buffer() != null
        && ctx.body().length() > max) {
      ctx.fail(
          ScimException.payloadTooLarge(
              "The request body is larger than " + max + " bytes, the most this server accepts."));
      return;
    }
    ctx.next();
  }

  // ---- discovery (RFC 7644 §4)

  private DiscoveryDocuments discovery(RoutingContext ctx) {
    String base = baseUrl(ctx);
    return discovery.get(base, b -> DiscoveryDocuments.create(registry, directory.limits(), b));
  }

  private void serviceProviderConfig(RoutingContext ctx) {
    document(ctx, discovery(ctx).serviceProviderConfig());
  }

  private void resourceTypes(RoutingContext ctx) {
    document(ctx, discovery(ctx).resourceTypes());
  }

  private void resourceType(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    document(ctx, discovery(ctx).resourceType(id).orElseThrow(() -> notFound("resource type", id)));
  }

  private void schemas(RoutingContext ctx) {
    document(ctx, discovery(ctx).schemas());
  }

  private void schema(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    document(ctx, discovery(ctx).schema(id).orElseThrow(() -> notFound("schema", id)));
  }

  private static void document(RoutingContext ctx, JsonNode body) {
    respond(ctx, Future.succeededFuture(ScimResponse.ok(body)));
  }

  private static ScimException notFound(String what, String id) {
    return ScimException.notFound("No " + what + " " + id + ".");
  }

  // ---- resources

  private void list(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.list(req, type, ListQuery.parse(req.query(), directory.limits())));
  }

  private void search(RoutingContext ctx, ResourceType type) {
    run(
        ctx,
        req ->
            directory.list(req, type, ListQuery.fromSearchRequest(body(ctx), directory.limits())));
  }

  private void searchAll(RoutingContext ctx) {
    run(
        ctx,
        req ->
            directory.searchAll(req, ListQuery.fromSearchRequest(body(ctx), directory.limits())));
  }

  private void create(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.create(req, type, body(ctx)));
  }

  private void get(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.get(req, type, ctx.pathParam("id")));
  }

  private void replace(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.replace(req, type, ctx.pathParam("id"), body(ctx)));
  }

  private void patch(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.patch(req, type, ctx.pathParam("id"), body(ctx)));
  }

  private void delete(RoutingContext ctx, ResourceType type) {
    run(ctx, req -> directory.delete(req, type, ctx.pathParam("id")));
  }

  private void bulk(RoutingContext ctx) {
    run(ctx, req -> bulk.process(req, body(ctx)));
  }

  private static void me(RoutingContext ctx) {
    ctx.fail(
        new ScimException(
            501, null, "/Me is not supported: a bearer token names an organisation, not a user."));
  }

  // ---- plumbing

  private interface Action {
    Future<ScimResponse> apply(ScimRequest request);
  }

  private void run(RoutingContext ctx, Action action) {
    ScimRequest req;
    Future<ScimResponse> result;
    try {
      req = request(ctx);
      result = action.apply(req);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    respond(ctx, result);
  }

  private static void respond(RoutingContext ctx, Future<ScimResponse> result) {
    result.onComplete(
        ar -> {
          if (ar.failed()) {
            ctx.fail(ar.cause());
          } else {
            ar.result().write(ctx);
          }
        });
  }

  private ScimRequest request(RoutingContext ctx) {
    TenantContext tenant = ctx.get(TENANT);
    Map<String, String> query = new HashMap<>();
    ctx.queryParams().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
    return new ScimRequest(
        tenant,
        RequestIds.of(ctx),
        baseUrl(ctx),
        ctx.request().getHeader("If-Match"),
        ctx.request().getHeader("If-None-Match"),
        query);
  }

  private static JsonNode body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ScimException.invalidSyntax("The request has no body; a JSON object is required.");
    }
    return ScimJson.parseObject(ctx.body().buffer().getBytes());
  }

  /** The base URL clients use: the configured public URL, or what this request was sent to. */
  private String baseUrl(RoutingContext ctx) {
    return switchboard
        .config()
        .publicUrl()
        .map(u -> stripSlash(u) + P)
        .orElseGet(
            () -> {
              HostAndPort authority = ctx.request().authority();
              String host =
                  authority == null
                      ? "localhost"
                      : authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
              return ctx.request().scheme() + "://" + host + P;
            });
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
