package io.switchboard.testkit;

import io.switchboard.crypto.MasterKey;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.switchboard.tenant.TenantProvisioning;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real gateway on the test database and a free loopback port, with the local session store in a
 * temporary directory. {@link #shared()} is started once per JVM; tests needing their own (two
 * instances, special settings) call {@link #start}. Every test creates fresh tenants with {@link
 * #newTenant()}.
 */
public final class TestGateway implements AutoCloseable {
  private static TestGateway shared;

  private final Vertx vertx;
  private final Switchboard switchboard;
  private final GatewayServer server;

  private TestGateway(Vertx vertx, Switchboard switchboard, GatewayServer server) {
    this.vertx = vertx;
    this.switchboard = switchboard;
    this.server = server;
  }

  public static synchronized TestGateway shared() {
    if (shared == null) {
      shared = start(env -> {});
      TestDatabase.beforeStop(shared::close);
    }
    return shared;
  }

  /** The environment a test gateway starts from; {@code customise} may change any entry. */
  public static Map<String, String> baseEnv(Path dataDir) {
    TestDatabase db = TestDatabase.get();
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATABASE_URL", db.ownerUrlString());
    env.put("SWITCHBOARD_DATABASE_APP_PASSWORD", db.appPassword());
    env.put("SWITCHBOARD_MASTER_KEY", SHARED_MASTER_KEY);
    env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
    env.put("SWITCHBOARD_SCIM_PORT", "0");
    env.put("SWITCHBOARD_EVENT_LOOPS", "2");
    env.put("SWITCHBOARD_DB_POOL_SIZE", "4");
    env.put("SWITCHBOARD_DRAIN_TIMEOUT", "1s");
    // the tests' webhook receivers listen on loopback
    env.put("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", "true");
    env.put("SWITCHBOARD_SHUTDOWN_DELAY", "0s");
    return env;
  }

  /** One master key per test JVM, so gateways started by different tests agree. */
  public static final String SHARED_MASTER_KEY = MasterKey.generateBase64();

  private static Path sharedDataDir;

  /** The data directory every test gateway shares, so they see the same local sessions. */
  public static synchronized Path sharedDataDir() {
    if (sharedDataDir == null) {
      try {
        sharedDataDir = Files.createTempDirectory("sb-test-data");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return sharedDataDir;
  }

  public static TestGateway start(Consumer<Map<String, String>> customise) {
    Map<String, String> env = baseEnv(sharedDataDir());
    customise.accept(env);
    GatewayConfig config = GatewayConfig.fromEnv(env);
    Vertx vertx = Vertx.vertx();
    Switchboard sb = await(Switchboard.boot(vertx, config));
    GatewayServer server = await(GatewayServer.start(sb));
    return new TestGateway(vertx, sb, server);
  }

  /**
   * What SIGTERM runs: report draining on /ready for SWITCHBOARD_SHUTDOWN_DELAY (0s here unless the
   * test sets it), stop accepting, drain in-flight requests, close the listeners.
   */
  public Future<Void> stopServer() {
    return server.stop();
  }

  public Switchboard switchboard() {
    return switchboard;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/scim/v2";
  }

  public String rootUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  /** A new organisation with one bearer token, and a client that uses it. */
  public TestTenant newTenant() {
    String slug = "t-" + UUID.randomUUID().toString().substring(0, 12);
    TenantProvisioning p = switchboard.provisioning();
    var created = await(p.createTenant(TenantProvisioning.NewTenant.local(slug, "Test " + slug)));
    var token = await(p.issueToken(created.id(), "test", null));
    return new TestTenant(
        created.id(), slug, token.tokenId(), token.token(), client(token.token()));
  }

  /**
   * Sets a tenant's settings (the JSON tenant-admin stores) directly in the database and announces
   * the change as tenant-admin does, so every gateway on the database drops its cached copy.
   */
  public void setSettings(UUID tenantId, io.vertx.core.json.JsonObject settings) {
    var owner = switchboard.config().databaseUrl();
    try (var c =
            java.sql.DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
        var update = c.prepareStatement("update tenants set settings = ?::jsonb where id = ?");
        var notify = c.prepareStatement("select pg_notify('switchboard_invalidate', ?)")) {
      update.setString(1, settings.encode());
      update.setObject(2, tenantId);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("no tenant " + tenantId);
      }
      notify.setString(1, "tenant:" + tenantId);
      notify.execute();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
    // the notification is asynchronous; this instance drops its copy at once as well
    switchboard.contexts().invalidateTenant(tenantId);
  }

  public ScimClient client(String token) {
    return new ScimClient(baseUrl(), token);
  }

  /** An organisation and a client authenticated as it. */
  public record TestTenant(UUID id, String slug, String tokenId, String token, ScimClient scim) {}

  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      // one step at a time from this thread: closing Vert.x from inside one of its own callbacks
      // completes on an event loop that no longer exists, and the future never resolves
      await(server.stop());
      await(switchboard.close());
      await(vertx.close());
    } catch (RuntimeException e) {
      // already closed
    }
  }
}
