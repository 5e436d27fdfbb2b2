package io.switchboard.gateway;

import io.switchboard.migrations.DatabaseUrl;
import io.switchboard.vault.VaultOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's configuration, read from {@code SWITCHBOARD_*} environment variables (the README
 * lists every one) and validated at start-up with a message naming the variable that is wrong.
 *
 * <p>Usage: {@code GatewayConfig config = GatewayConfig.fromEnv(System.getenv());}
 */
public record GatewayConfig(
    String bindHost,
    int scimPort,
    Optional<String> publicUrl,
    DatabaseUrl databaseUrl,
    String appUser,
    String appPassword,
    boolean runMigrations,
    Path dataDir,
    boolean localSessions,
    String masterKey,
    int maxBodyBytes,
    int eventLoops,
    int dbPoolSize,
    Duration tokenCacheTtl,
    Duration sessionRefresh,
    Duration sessionMaxStaleness,
    int maxResults,
    Duration drainTimeout,
    Duration shutdownDelay,
    String logFormat,
    VaultOptions vault,
    boolean webhookAllowPrivate,
    Optional<TlsOptions> tls) {

  public static final int DEFAULT_SCIM_PORT = 8080;

  /** Thrown at start-up with every problem found, one per line. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(List<String> problems) {
      super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
  }

  public static GatewayConfig fromEnv(Map<String, String> env) {
    Reader r = new Reader(env);
    GatewayConfig config =
        new GatewayConfig(
            r.string("SWITCHBOARD_BIND_HOST", "127.0.0.1"),
            r.port("SWITCHBOARD_SCIM_PORT", DEFAULT_SCIM_PORT),
            r.optionalUrl("SWITCHBOARD_PUBLIC_URL"),
            r.databaseUrl("SWITCHBOARD_DATABASE_URL"),
            r.string("SWITCHBOARD_DATABASE_APP_USER", "switchboard_app"),
            r.required("SWITCHBOARD_DATABASE_APP_PASSWORD"),
            r.bool("SWITCHBOARD_RUN_MIGRATIONS", true),
            Path.of(r.string("SWITCHBOARD_DATA_DIR", ".switchboard")),
            r.bool("SWITCHBOARD_LOCAL_SESSIONS", true),
            r.required("SWITCHBOARD_MASTER_KEY"),
            r.integer("SWITCHBOARD_MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, 256 * 1024 * 1024),
            r.integer(
                "SWITCHBOARD_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
            r.integer("SWITCHBOARD_DB_POOL_SIZE", 4, 1, 200),
            r.duration("SWITCHBOARD_TOKEN_CACHE_TTL", Duration.ofSeconds(30)),
            r.duration("SWITCHBOARD_SESSION_REFRESH", Duration.ofMinutes(5)),
            r.duration("SWITCHBOARD_SESSION_MAX_STALENESS", Duration.ofMinutes(30)),
            r.integer("SWITCHBOARD_MAX_RESULTS", 1000, 100, 10_000),
            r.duration("SWITCHBOARD_DRAIN_TIMEOUT", Duration.ofSeconds(20)),
            r.duration(
                "SWITCHBOARD_SHUTDOWN_DELAY",
                Duration.ofSeconds(5),
                Duration.ZERO,
                Duration.ofMinutes(5)),
            r.oneOf("SWITCHBOARD_LOG_FORMAT", "text", List.of("text", "json")),
            VaultOptions.read(r),
            // webhooks to loopback/private addresses and over plain http (see WebhookTargets)
            r.bool("SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE", false),
            TlsOptions.read(r));
    r.check();
    return config;
  }

  /** A copy bound to other ports (tests, `switchboard dev`). */
  public GatewayConfig withPort(int port) {
    return new GatewayConfig(
        bindHost,
        port,
        publicUrl,
        databaseUrl,
        appUser,
        appPassword,
        runMigrations,
        dataDir,
        localSessions,
        masterKey,
        maxBodyBytes,
        eventLoops,
        dbPoolSize,
        tokenCacheTtl,
        sessionRefresh,
        sessionMaxStaleness,
        maxResults,
        drainTimeout,
        shutdownDelay,
        logFormat,
        vault,
        webhookAllowPrivate,
        tls);
  }

  /** The service-role URL the gateway queries with. */
  public DatabaseUrl appDatabaseUrl() {
    return databaseUrl.withCredentials(appUser, appPassword);
  }

  @Override
  public String toString() {
    return "GatewayConfig[bind="
        + bindHost
        + ":"
        + scimPort
        + ", database="
        + databaseUrl
        + ", localSessions="
        + localSessions
        + ", vault="
        + vault
        + "]";
  }

  /** Collects every problem before failing, so an operator fixes them in one go. */
  public static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    public Reader(Map<String, String> env) {
      this.env = env;
    }

    private String raw(String name) {
      String v = env.get(name);
      return v == null || v.isBlank() ? null : v.trim();
    }

    public String string(String name, String def) {
      String v = raw(name);
      return v == null ? def : v;
    }

    public String required(String name) {
      String v = raw(name);
      if (v == null) {
        problems.add(name + " is required");
        return "";
      }
      return v;
    }

    public String oneOf(String name, String def, List<String> allowed) {
      String v = string(name, def);
      if (!allowed.contains(v)) {
        problems.add(name + " must be one of " + allowed + " (got '" + v + "')");
        return def;
      }
      return v;
    }

    public int integer(String name, int def, int min, int max) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      try {
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
          problems.add(name + " must be between " + min + " and " + max + " (got " + n + ")");
          return def;
        }
        return n;
      } catch (NumberFormatException e) {
        problems.add(name + " must be an integer (got '" + v + "')");
        return def;
      }
    }

    public int port(String name, int def) {
      return integer(name, def, 0, 65535);
    }

    public boolean bool(String name, boolean def) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      if (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes")) {
        return true;
      }
      if (v.equalsIgnoreCase("false") || v.equals("0") || v.equalsIgnoreCase("no")) {
        return false;
      }
      problems.add(name + " must be true or false (got '" + v + "')");
      return def;
    }

    /**
     * ISO-8601 ({@code PT30S}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m},
     * {@code 2h}, {@code 30d}.
     */
    public Duration duration(String name, Duration def) {
      String v = raw(name);
      if (v == null) {
        return def;
      }
      try {
        if (v.startsWith("P") || v.startsWith("p")) {
          return Duration.parse(v);
        }
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        return switch (v.charAt(v.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw new IllegalArgumentException();
        };
      } catch (RuntimeException e) {
        problems.add(name + " must be a duration such as 30s, 5m or PT1H (got '" + v + "')");
        return def;
      }
    }

    /** A {@link #duration(String, Duration)} that must lie between {@code min} and {@code max}. */
    public Duration duration(String name, Duration def, Duration min, Duration max) {
      Duration d = duration(name, def);
      if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        problems.add(name + " must be between " + min + " and " + max + " (got " + raw(name) + ")");
        return def;
      }
      return d;
    }

    public Optional<String> optionalUrl(String name) {
      String v = raw(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!v.startsWith("http://") && !v.startsWith("https://")) {
        problems.add(name + " must start with http:// or https:// (got '" + v + "')");
        return Optional.empty();
      }
      return Optional.of(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
    }

    public DatabaseUrl databaseUrl(String name) {
      String v = raw(name);
      if (v == null) {
        problems.add(
            name
                + " is required (postgresql://owner:password@host:5432/db); `switchboard dev`"
                + " starts an embedded database instead");
        return new DatabaseUrl("invalid", 0, "invalid", "invalid", null, Map.of());
      }
      try {
        return DatabaseUrl.parse(v);
      } catch (IllegalArgumentException e) {
        problems.add(name + ": " + e.getMessage());
        return new DatabaseUrl("invalid", 0, "invalid", "invalid", null, Map.of());
      }
    }

    public void problem(String message) {
      problems.add(message);
    }

    public void check() {
      if (!problems.isEmpty()) {
        throw new InvalidConfigException(problems);
      }
    }
  }
}
