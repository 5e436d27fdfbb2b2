package io.switchboard.migrations;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A PostgreSQL connection target parsed from a libpq-style URL, {@code
 * postgresql://user:password@host:5432/database?sslmode=require}.
 *
 * <p>Usage: {@code DatabaseUrl.parse(System.getenv("SWITCHBOARD_DATABASE_URL"))}. {@link
 * #toString()} never prints the password.
 */
public record DatabaseUrl(
    String host,
    int port,
    String database,
    String user,
    String password,
    Map<String, String> params) {

  public DatabaseUrl {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    params = Map.copyOf(params);
  }

  /** Parses {@code postgresql://} or {@code postgres://} URLs; throws with a clear message. */
  public static DatabaseUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("database URL is empty");
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "database URL is not a valid URI (expected postgresql://user:password@host:port/db)");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "database URL must start with postgresql:// (got scheme '" + uri.getScheme() + "')");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("database URL has no host");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    if (database.isEmpty()) {
      throw new IllegalArgumentException("database URL has no database name");
    }
    String user = "postgres";
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      if (parts.length == 2) {
        password = decode(parts[1]);
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        String[] kv = pair.split("=", 2);
        params.put(decode(kv[0]), kv.length == 2 ? decode(kv[1]) : "");
      }
    }
    return new DatabaseUrl(
        uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database, user, password, params);
  }

  /** The same server and database, as another role. */
  public DatabaseUrl withCredentials(String otherUser, String otherPassword) {
    return new DatabaseUrl(host, port, database, otherUser, otherPassword, params);
  }

  /** JDBC URL without credentials (pass user and password separately). */
  public String jdbcUrl() {
    StringBuilder b =
        new StringBuilder("jdbc:postgresql://")
            .append(host)
            .append(':')
            .append(port)
            .append('/')
            .append(database);
    String sep = "?";
    for (Map.Entry<String, String> e : params.entrySet()) {
      b.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = "&";
    }
    return b.toString();
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
  }
}
