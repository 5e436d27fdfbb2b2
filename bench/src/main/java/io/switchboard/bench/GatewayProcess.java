package io.switchboard.bench;

import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.tenant.TenantProvisioning;
import io.switchboard.testkit.vault.VaultApiDouble;
import io.switchboard.vault.GatewayJwtSigner;
import io.switchboard.vault.VaultConnection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway under test, in its own JVM: the production runtime ({@link Switchboard} + {@link
 * GatewayServer}) configured from {@code SWITCHBOARD_*} exactly as {@code switchboard gateway} is,
 * plus a bench control listener on another loopback port that registers organisations through
 * {@link TenantProvisioning} (the code tenant-admin's API calls) and reports the tenant-context
 * cache and the heap. The control listener carries no SCIM traffic.
 */
public final class GatewayProcess {
  private GatewayProcess() {}

  public static void main(String[] args) throws Exception {
    GatewayConfig config = GatewayConfig.fromEnv(System.getenv());
    ParentWatch.exitWithParent();
    Vertx vertx = Vertx.vertx();
    Switchboard booted = null;
    GatewayServer started = null;
    HttpServer listening = null;
    try {
      booted = await(Switchboard.boot(vertx, config));
      started = await(GatewayServer.start(booted));
      Switchboard forControl = booted;
      listening =
          await(
              vertx
                  .createHttpServer()
                  .requestHandler(req -> control(forControl, req))
                  .listen(0, "127.0.0.1"));
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    Switchboard sb = booted;
    GatewayServer server = started;
    HttpServer control = listening;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    await(control.close());
                    await(server.stop());
                    await(sb.close());
                    await(vertx.close());
                  } catch (Exception e) {
                    // exiting anyway
                  }
                }));
    System.out.println(
        ChildJvm.READY
            + new JsonObject()
                .put("port", server.port())
                .put("control", control.actualPort())
                .put("pid", ProcessHandle.current().pid())
                .encode());
    System.out.flush();
  }

  private static void control(Switchboard sb, HttpServerRequest req) {
    req.body()
        .compose(
            body ->
                switch (req.path()) {
                  case "/ctl/tenants" -> createTenants(sb, body.toJsonObject());
                  case "/ctl/vault-tenants" -> createVaultTenants(sb, body.toJsonObject());
                  case "/ctl/vault-stats" -> Future.succeededFuture(vaultStats());
                  case "/ctl/stats" -> Future.succeededFuture(stats(sb));
                  case "/ctl/invalidate" -> {
                    sb.contexts().invalidateAll();
                    yield Future.succeededFuture(new JsonObject());
                  }
                  case "/ctl/heap" -> sb.vertx().executeBlocking(GatewayProcess::heapAfterGc);
                  default -> Future.failedFuture("no such control path " + req.path());
                })
        .onSuccess(
            json -> req.response().putHeader("content-type", "application/json").end(json.encode()))
        .onFailure(e -> req.response().setStatusCode(500).end(String.valueOf(e.getMessage())));
  }

  private static JsonObject stats(Switchboard sb) {
    var s = sb.contexts().stats();
    return new JsonObject()
        .put("cachedSessions", s.cachedSessions())
        .put("loads", s.loads())
        .put("loadFailures", s.loadFailures())
        .put("hitRate", s.hitRate());
  }

  private static JsonObject heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new JsonObject()
        .put("heapUsed", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  private static VaultApiDouble vault;

  private static synchronized JsonObject vaultStats() {
    return vault == null
        ? new JsonObject()
        : new JsonObject().put("requests", vault.requests().size()).put("logins", vault.logins());
  }

  /**
   * Registers {@code count} organisations whose scimsession lives in a Vault: the Vault API double
   * of the gateway's test kit (plain HTTP on loopback, its own event loop in this JVM), answering
   * every call {@code delayMs} late. Each tenant logs in with the gateway's JWT on its own role.
   */
  private static synchronized Future<JsonObject> createVaultTenants(
      Switchboard sb, JsonObject spec) {
    if (vault == null) {
      vault =
          VaultApiDouble.start(
              Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1)));
    }
    vault.delay(java.time.Duration.ofMillis(spec.getInteger("delayMs", 5)));
    int count = spec.getInteger("count");
    JsonObject settings = spec.getJsonObject("settings");
    TenantProvisioning p = sb.provisioning();
    GatewayJwtSigner signer = sb.jwtSigner();
    JsonObject[] out = new JsonObject[count];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(8, count); lane++) {
      lanes.add(createNextVault(sb, p, signer, settings, next, out));
    }
    return Future.all(lanes)
        .map(
            v -> {
              JsonArray arr = new JsonArray();
              for (JsonObject o : out) {
                arr.add(o);
              }
              return new JsonObject().put("tenants", arr);
            });
  }

  private static Future<Void> createNextVault(
      Switchboard sb,
      TenantProvisioning p,
      GatewayJwtSigner signer,
      JsonObject settings,
      AtomicInteger next,
      JsonObject[] out) {
    int i = next.getAndIncrement();
    if (i >= out.length) {
      return Future.succeededFuture();
    }
    String slug = ("v-" + i + "-" + Long.toHexString(System.nanoTime())).toLowerCase();
    String role = "switchboard-" + slug;
    vault.jwtRole(
        VaultApiDouble.ROOT_NAMESPACE,
        "jwt",
        role,
        signer.jwks(),
        signer.audience(),
        null,
        java.time.Duration.ofHours(1),
        "secret/" + VaultConnection.defaultPath(slug));
    JsonObject request =
        new JsonObject()
            .put("address", vault.address())
            .put("auth", new JsonObject().put("method", "jwt").put("role", role));
    VaultConnection connection =
        VaultConnection.fromRequest(request, java.util.UUID.randomUUID(), slug, sb.masterKey());
    TenantProvisioning.NewTenant spec =
        new TenantProvisioning.NewTenant(
            slug, "Vault " + slug, null, TenantSessionRef.VAULT, connection.toJson(), settings);
    return p.createTenant(spec)
        .compose(t -> p.issueToken(t.id(), "bench", null))
        .compose(
            tok -> {
              out[i] =
                  new JsonObject()
                      .put("id", tok.tenantId().toString())
                      .put("slug", slug)
                      .put("token", tok.token());
              return createNextVault(sb, p, signer, settings, next, out);
            });
  }

  /** Registers {@code count} organisations with one bearer token each, 16 at a time. */
  private static Future<JsonObject> createTenants(Switchboard sb, JsonObject spec) {
    int count = spec.getInteger("count");
    String prefix = spec.getString("prefix", "bench");
    JsonObject settings = spec.getJsonObject("settings");
    TenantProvisioning p = sb.provisioning();
    JsonObject[] out = new JsonObject[count];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < Math.min(16, count); lane++) {
      lanes.add(createNext(p, prefix, settings, next, out));
    }
    return Future.all(lanes)
        .map(
            v -> {
              JsonArray arr = new JsonArray();
              for (JsonObject o : out) {
                arr.add(o);
              }
              return new JsonObject().put("tenants", arr);
            });
  }

  private static Future<Void> createNext(
      TenantProvisioning p,
      String prefix,
      JsonObject settings,
      AtomicInteger next,
      JsonObject[] out) {
    int i = next.getAndIncrement();
    if (i >= out.length) {
      return Future.succeededFuture();
    }
    String slug = (prefix + "-" + i + "-" + Long.toHexString(System.nanoTime())).toLowerCase();
    if (slug.length() > 63) {
      slug = slug.substring(slug.length() - 63);
    }
    String s = slug;
    TenantProvisioning.NewTenant spec =
        new TenantProvisioning.NewTenant(s, "Bench " + s, null, "local", null, settings);
    return p.createTenant(spec)
        .compose(t -> p.issueToken(t.id(), "bench", null))
        .compose(
            tok -> {
              out[i] =
                  new JsonObject()
                      .put("id", tok.tenantId().toString())
                      .put("slug", s)
                      .put("token", tok.token());
              return createNext(p, prefix, settings, next, out);
            });
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
