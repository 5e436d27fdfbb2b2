package io.switchboard.migrations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema as the owner role and prepares the service role the gateway and tenant-admin
 * query as. Both services call it at start-up; concurrent callers serialise on an advisory lock, so
 * N instances starting together migrate once.
 *
 * <p>Usage: {@code Migrations.apply(ownerUrl, "switchboard_app", appPassword)}.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final long LOCK_KEY = 0x5357_4254_4D49_4752L; // "SWBTMIGR"

  private Migrations() {}

  /** What a migration run did. */
  public record Result(int migrationsApplied, String schemaVersion, boolean roleCreated) {}

  /**
   * Migrates the database at {@code owner} and makes sure {@code appRole} can log in with {@code
   * appPassword} (created if missing, password updated if given) and cannot bypass row-level
   * security.
   */
  public static Result apply(DatabaseUrl owner, String appRole, String appPassword) {
    if (!ROLE_NAME.matcher(appRole).matches()) {
      throw new IllegalArgumentException(
          "service role name must match " + ROLE_NAME.pattern() + ": " + appRole);
    }
    if (appRole.equals(owner.user())) {
      throw new IllegalArgumentException(
          "the service role must not be the owner role ("
              + appRole
              + "): the owner is exempt from row-level security");
    }
    try (Connection c = connect(owner)) {
      lock(c);
      try {
        boolean created = ensureServiceRole(c, appRole, appPassword);
        MigrateResult result =
            Flyway.configure()
                .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
                .placeholders(Map.of("appRole", appRole))
                .locations("classpath:db/migration")
                .load()
                .migrate();
        verifyServiceRole(c, appRole);
        LOG.info(
            "database migrated: {} migration(s) applied, schema version {}",
            result.migrationsExecuted,
            result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion);
        return new Result(result.migrationsExecuted, result.targetSchemaVersion, created);
      } finally {
        unlock(c);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot migrate " + owner + ": " + e.getMessage() + " (SQLState " + e.getSQLState() + ")",
          e);
    }
  }

  private static Connection connect(DatabaseUrl url) throws SQLException {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }

  private static void lock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_advisory_lock(?)")) {
      ps.setLong(1, LOCK_KEY);
      ps.execute();
    }
  }

  private static void unlock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
      ps.setLong(1, LOCK_KEY);
      ps.execute();
    }
  }

  private static boolean ensureServiceRole(Connection c, String role, String password)
      throws SQLException {
    boolean exists;
    try (PreparedStatement ps = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        exists = rs.next();
      }
    }
    String ddl;
    if (!exists) {
      ddl =
          password == null
              ? "select format('create role %I login nosuperuser nocreatedb nocreaterole"
                  + " nobypassrls', ?)"
              : "select format('create role %I login password %L nosuperuser nocreatedb"
                  + " nocreaterole nobypassrls', ?, ?)";
    } else if (password != null) {
      ddl = "select format('alter role %I login password %L', ?, ?)";
    } else {
      return false;
    }
    // DDL cannot take bind parameters: let the server quote the identifier and the literal.
    String statement;
    try (PreparedStatement ps = c.prepareStatement(ddl)) {
      ps.setString(1, role);
      if (password != null) {
        ps.setString(2, password);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        statement = rs.getString(1);
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(statement);
    }
    if (!exists) {
      LOG.info("created service role {}", role);
    }
    return !exists;
  }

  private static void verifyServiceRole(Connection c, String role) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("select rolsuper, rolbypassrls from pg_roles where rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("service role " + role + " does not exist");
        }
        if (rs.getBoolean(1) || rs.getBoolean(2)) {
          throw new IllegalStateException(
              "service role "
                  + role
                  + " is a superuser or has BYPASSRLS: tenant isolation would not hold");
        }
      }
    }
  }
}
