package io.switchboard.cli;

import static io.switchboard.cli.ServeCommands.await;

import io.switchboard.admin.AdminConfig;
import io.switchboard.admin.AdminKeys;
import io.switchboard.admin.AdminPrincipal;
import io.switchboard.admin.AdminServer;
import io.switchboard.crypto.MasterKey;
import io.switchboard.feed.FeedWorkers;
import io.switchboard.gateway.GatewayConfig;
import io.switchboard.gateway.GatewayServer;
import io.switchboard.gateway.Switchboard;
import io.switchboard.migrations.EmbeddedDatabase;
import io.switchboard.tenant.TenantContexts;
import io.switchboard.tenant.TenantProvisioning;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code switchboard dev}: everything on this machine, one command. Starts (or restarts on its
 * data) an embedded PostgreSQL, migrates, runs the gateway and tenant-admin on 127.0.0.1, makes
 * sure a demo organisation and a working bearer token exist, prints them with a curl to try, and
 * writes them to {@code <data dir>/dev.env}. Sessions live in the local store: development only.
 */
@Command(
    name = "dev",
    description =
        "Run everything locally: embedded PostgreSQL, gateway, tenant-admin, a demo tenant and"
            + " its token.")
final class DevCommand implements Callable<Integer> {
  static final String DEMO_SLUG = "demo";

  @Option(
      names = "--data-dir",
      description =
          "Where data persists between runs (env SWITCHBOARD_DATA_DIR, default .switchboard).")
  Path dataDir;

  @Option(
      names = "--scim-port",
      description = "Gateway port (env SWITCHBOARD_SCIM_PORT, default 8080).")
  Integer scimPort;

  @Option(
      names = "--admin-port",
      description = "Tenant-admin port (env SWITCHBOARD_ADMIN_PORT, default 8081).")
  Integer adminPort;

  @Option(
      names = "--database-url",
      description =
          "Use this PostgreSQL (owner role) instead of the embedded one (env"
              + " SWITCHBOARD_DATABASE_URL).")
  String databaseUrl;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    Path data =
        dataDir != null
            ? dataDir
            : Path.of(env.getOrDefault("SWITCHBOARD_DATA_DIR", ".switchboard"));
    Files.createDirectories(data);
    Properties secrets = devSecrets(data);

    String external = databaseUrl != null ? databaseUrl : env.get("SWITCHBOARD_DATABASE_URL");
    EmbeddedDatabase embedded = null;
    if (external == null || external.isBlank()) {
      System.out.println("Starting embedded PostgreSQL in " + data.resolve("postgres") + " ...");
      embedded = EmbeddedDatabase.start(data.resolve("postgres"), 0);
      env.put("SWITCHBOARD_DATABASE_URL", embeddedUrl(embedded));
    } else {
      env.put("SWITCHBOARD_DATABASE_URL", external);
    }
    env.putIfAbsent("SWITCHBOARD_DATABASE_APP_PASSWORD", secrets.getProperty("appPassword"));
    env.putIfAbsent("SWITCHBOARD_MASTER_KEY", secrets.getProperty("masterKey"));
    env.put("SWITCHBOARD_DATA_DIR", data.toString());
    env.put("SWITCHBOARD_LOCAL_SESSIONS", "true");
    // a developer's webhook receiver is usually on this machine
    env.putIfAbsent("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", "true");
    // no load balancer to leave in dev: Ctrl-C stops at once
    env.putIfAbsent("SWITCHBOARD_SHUTDOWN_DELAY", "0s");
    if (scimPort != null) {
      env.put("SWITCHBOARD_SCIM_PORT", scimPort.toString());
    }
    if (adminPort != null) {
      env.put("SWITCHBOARD_ADMIN_PORT", adminPort.toString());
    }

    GatewayConfig config = GatewayConfig.fromEnv(env);
    Vertx vertx = Vertx.vertx();
    Switchboard sb = await(Switchboard.boot(vertx, config));
    GatewayServer gateway = await(GatewayServer.start(sb));
    FeedWorkers workers = FeedWorkers.start(sb, env);
    String scimUrl = config.publicUrl().map(u -> u + "/scim/v2").orElse(gateway.localBaseUrl());
    AdminConfig adminConfig = AdminConfig.fromEnv(env, config).withPublicScimUrl(scimUrl);
    AdminServer admin = await(AdminServer.start(sb, adminConfig));
    String adminUrl = "http://" + config.bindHost() + ":" + admin.port();

    Path envFile = data.resolve("dev.env");
    Map<String, String> previous = DevEnv.read(envFile);
    String adminToken = ensureAdminToken(admin.keys(), previous.get("SWITCHBOARD_ADMIN_TOKEN"));
    UUID demo = ensureDemoTenant(sb);
    String token = ensureToken(sb, demo, previous.get("SWITCHBOARD_TOKEN"));

    Map<String, String> out = new LinkedHashMap<>();
    out.put("SWITCHBOARD_SCIM_URL", scimUrl);
    out.put("SWITCHBOARD_TOKEN", token);
    out.put("SWITCHBOARD_ADMIN_URL", adminUrl);
    out.put("SWITCHBOARD_ADMIN_TOKEN", adminToken);
    out.put("SWITCHBOARD_DEMO_ORG_ID", demo.toString());
    DevEnv.write(envFile, out);
    banner(System.out, scimUrl, token, adminUrl, envFile);

    EmbeddedDatabase db = embedded;
    return ServeCommands.runUntilSignal(
        () -> {
          await(gateway.stop());
          await(workers.stop());
          await(sb.close());
          await(vertx.close());
          if (db != null) {
            db.close();
          }
        });
  }

  private static String embeddedUrl(EmbeddedDatabase db) {
    var u = db.ownerUrl();
    return "postgresql://" + u.user() + "@" + u.host() + ":" + u.port() + "/" + u.database();
  }

  private static String ensureAdminToken(AdminKeys keys, String previous) throws Exception {
    if (previous != null && Boolean.TRUE.equals(await(keys.ensure(previous, "dev")))) {
      return previous;
    }
    return await(keys.create(AdminPrincipal.FLEET, "dev")).token();
  }

  private static UUID ensureDemoTenant(Switchboard sb) throws Exception {
    var rows =
        await(
            sb.database()
                .pool()
                .preparedQuery("select id from tenants where slug = $1")
                .execute(Tuple.of(DEMO_SLUG)));
    if (rows.size() > 0) {
      return rows.iterator().next().getUUID("id");
    }
    return await(
            sb.provisioning()
                .createTenant(TenantProvisioning.NewTenant.local(DEMO_SLUG, "Demo organisation")))
        .id();
  }

  /** Reuses the saved token if it still authenticates for the demo tenant, else issues one. */
  private static String ensureToken(Switchboard sb, UUID demo, String previous) throws Exception {
    if (previous != null) {
      TenantContexts contexts = sb.contexts();
      try {
        var ctx = await(contexts.authenticate("Bearer " + previous));
        if (ctx.tenantId().equals(demo)) {
          return previous;
        }
      } catch (Exception stale) {
        // revoked, expired or from another data directory: issue a new one
      }
    }
    return await(sb.provisioning().issueToken(demo, "dev", null)).token();
  }

  private static Properties devSecrets(Path data) throws IOException {
    Path file = data.resolve("dev-secrets.properties");
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (var in = Files.newInputStream(file)) {
        p.load(in);
      }
    }
    boolean changed = false;
    if (p.getProperty("masterKey") == null) {
      p.setProperty("masterKey", MasterKey.generateBase64());
      changed = true;
    }
    if (p.getProperty("appPassword") == null) {
      byte[] pw = new byte[24];
      new SecureRandom().nextBytes(pw);
      p.setProperty("appPassword", Base64.getUrlEncoder().withoutPadding().encodeToString(pw));
      changed = true;
    }
    if (changed) {
      try (var out = Files.newOutputStream(file)) {
        p.store(out, "switchboard dev secrets (development only)");
      }
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
    }
    return p;
  }

  static void banner(PrintStream out, String scimUrl, String token, String adminUrl, Path envFile) {
    out.println();
    out.println("Switchboard is running (development mode: embedded PostgreSQL, LOCAL session");
    out.println("store - tenant keys are kept on this machine; not for production).");
    out.println();
    out.println("  SCIM base URL   " + scimUrl);
    out.println("  Bearer token    " + token);
    out.println("  Tenant-admin    " + adminUrl + "/admin/v1   (operator key in " + envFile + ")");
    out.println();
    out.println("Try it:");
    out.println("  curl -s -X POST " + scimUrl + "/Users \\");
    out.println("    -H 'Authorization: Bearer " + token + "' \\");
    out.println("    -H 'Content-Type: application/scim+json' \\");
    out.println(
        "    -d '{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
            + "\"userName\":\"ada@example.com\"}'");
    out.println("  curl -s '" + scimUrl + "/Users' -H 'Authorization: Bearer " + token + "'");
    out.println();
    out.println("Saved to " + envFile + ". Press Ctrl-C to stop.");
    out.flush();
  }
}
