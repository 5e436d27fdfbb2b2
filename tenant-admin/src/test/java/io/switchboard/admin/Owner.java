package io.switchboard.admin;

import io.switchboard.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Looks at the database from below (owner role, no row-level security), as a DBA would. */
final class Owner {
  private Owner() {}

  /** Rows of {@code table} whose tenant column is {@code tenantId}. */
  static long count(String table, String column, UUID tenantId) {
    var url = TestDatabase.get().ownerUrl();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        PreparedStatement ps =
            c.prepareStatement("select count(*) from " + table + " where " + column + " = ?")) {
      ps.setObject(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(String table, UUID tenantId) {
    return count(table, "tenant_id", tenantId);
  }

  /** One value of the first row, or null. */
  static Object value(String sql, Object... args) {
    var url = TestDatabase.get().ownerUrl();
    try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getObject(1) : null;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
