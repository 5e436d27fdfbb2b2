package io.switchboard.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Row-level security, seen from the service role")
class RowLevelSecurityTest {
  private static final String APP = "switchboard_app";
  private static final String APP_PASSWORD = "test-" + UUID.randomUUID();
  private static EmbeddedDatabase db;
  private static DatabaseUrl owner;
  private static final UUID TENANT_A = UUID.randomUUID();
  private static final UUID TENANT_B = UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedDatabase.start(Files.createTempDirectory("sb-rls"), 0);
    owner = db.ownerUrl();
    Migrations.Result first = Migrations.apply(owner, APP, APP_PASSWORD);
    assertThat(first.migrationsApplied()).isPositive();
    assertThat(Migrations.apply(owner, APP, APP_PASSWORD).migrationsApplied())
        .as("a second start applies nothing")
        .isZero();
    try (Connection c = connect(owner.user(), owner.password())) {
      for (UUID t : List.of(TENANT_A, TENANT_B)) {
        exec(
            c,
            "insert into tenants (id, slug, name) values (?, ?, 'Test')",
            t,
            "t-" + t.toString().substring(0, 8));
        // the owner is a superuser here, which bypasses RLS, so it can seed both tenants
        exec(
            c,
            "insert into scim_users (tenant_id, id, version, key_version, username_idx,"
                + " resource_ct, created_at, updated_at)"
                + " values (?, gen_random_uuid(), 1, 1, sha256(gen_random_uuid()::text::bytea), '\\x00',"
                + " now(), now())",
            t);
        exec(
            c,
            "insert into bearer_tokens (tenant_id, token_id, secret_hash) values (?, ?,"
                + " sha256('x'::bytea))",
            t,
            "tok" + t);
        exec(c, "insert into audit_log (tenant_id, actor, action) values (?, 'test', 'seed')", t);
      }
    }
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  @DisplayName("with no tenant set, every tenant-owned table returns zero rows")
  void noTenantSeesNothing() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      for (String table : tenantTables()) {
        assertThat(count(c, table)).as(table).isZero();
      }
    }
  }

  @Test
  @DisplayName("with tenant A set, only tenant A's rows are visible")
  void tenantSeesOnlyItsOwnRows() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      c.setAutoCommit(false);
      setTenant(c, TENANT_A);
      try (PreparedStatement ps = c.prepareStatement("select distinct tenant_id from scim_users")) {
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getObject(1)).isEqualTo(TENANT_A);
          assertThat(rs.next()).isFalse();
        }
      }
      c.rollback();
    }
  }

  @Test
  @DisplayName("inserting a row for another tenant inside a tenant's transaction is rejected")
  void crossTenantInsertRejected() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      c.setAutoCommit(false);
      setTenant(c, TENANT_A);
      assertThatThrownBy(
              () ->
                  exec(
                      c,
                      "insert into audit_log (tenant_id, actor, action) values (?, 'x', 'y')",
                      TENANT_B))
          .isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState())
          .isEqualTo("42501");
      c.rollback();
    }
  }

  @Test
  @DisplayName("the tenant setting is transaction-local: the next transaction sees nothing")
  void settingDoesNotLeakAcrossTransactions() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      c.setAutoCommit(false);
      setTenant(c, TENANT_A);
      assertThat(count(c, "scim_users")).isEqualTo(1);
      c.commit();
      assertThat(count(c, "scim_users")).isZero();
      c.rollback();
    }
  }

  @Test
  @DisplayName(
      "the self-scoping read functions return only the named tenant's rows, and their scope ends"
          + " with the call")
  void selfScopingReadsStayInTheirTenant() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      UUID userOfA = firstUser(c, TENANT_A);
      UUID userOfB = firstUser(c, TENANT_B);
      // autocommit: each call is its own implicit transaction, as the gateway makes it
      assertThat(userIds(c, "select id from sb_user_rows(?, ?)", TENANT_A, userOfA, userOfB))
          .containsExactly(userOfA);
      assertThat(count(c, "scim_users")).as("after the call, no tenant is set").isZero();
      assertThat(userIds(c, "select id from sb_user_rows(?, ?)", TENANT_B, userOfA))
          .as("another tenant's id through tenant B's scope")
          .isEmpty();
      byte[] usernameOfA = usernameIndex(c, TENANT_A);
      assertThat(
              userIds(
                  c, "select id from sb_users_by_index(?, 'userName', ?)", TENANT_A, usernameOfA))
          .containsExactly(userOfA);
      assertThat(
              userIds(
                  c, "select id from sb_users_by_index(?, 'userName', ?)", TENANT_B, usernameOfA))
          .as("tenant A's index value looked up in tenant B")
          .isEmpty();
      assertThat(
              userIds(
                  c,
                  "select id from sb_users_by_index(?, 'resource_ct', ?)",
                  TENANT_A,
                  usernameOfA))
          .as("not an indexed attribute")
          .isEmpty();
      assertThat(count(c, "scim_users")).isZero();
    }
  }

  private static UUID firstUser(Connection c, UUID tenant) throws SQLException {
    c.setAutoCommit(false);
    setTenant(c, tenant);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from scim_users")) {
      assertThat(rs.next()).isTrue();
      return (UUID) rs.getObject(1);
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  private static byte[] usernameIndex(Connection c, UUID tenant) throws SQLException {
    c.setAutoCommit(false);
    setTenant(c, tenant);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select username_idx from scim_users")) {
      assertThat(rs.next()).isTrue();
      return rs.getBytes(1);
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  private static List<UUID> userIds(Connection c, String sql, UUID tenant, Object... args)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, tenant);
      if (args.length > 0 && args[0] instanceof byte[] bytes) {
        ps.setBytes(2, bytes);
      } else {
        ps.setArray(2, c.createArrayOf("uuid", args));
      }
      List<UUID> ids = new java.util.ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add((UUID) rs.getObject(1));
        }
      }
      return ids;
    }
  }

  @Test
  @DisplayName("a token row is visible by its own id only, before the tenant is known")
  void tokenLookupByIdOnly() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement("select set_config('app.token_id', ?, true)")) {
        ps.setString(1, "tok" + TENANT_A);
        ps.execute();
      }
      assertThat(count(c, "bearer_tokens")).isEqualTo(1);
      c.rollback();
    }
  }

  @Test
  @DisplayName("the service role cannot disable row-level security or read as another role")
  void serviceRoleCannotEscape() throws Exception {
    try (Connection c = connect(APP, APP_PASSWORD)) {
      assertThatThrownBy(() -> exec(c, "alter table scim_users disable row level security"))
          .isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> exec(c, "set role postgres")).isInstanceOf(SQLException.class);
    }
  }

  @Test
  @DisplayName("every table with a tenant_id has RLS enabled and forced")
  void everyTenantTableIsForced() throws Exception {
    try (Connection c = connect(owner.user(), owner.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select c.relname, c.relrowsecurity, c.relforcerowsecurity"
                    + " from pg_class c join pg_attribute a on a.attrelid = c.oid"
                    + " where a.attname = 'tenant_id' and c.relkind = 'r'"
                    + " and c.relnamespace = 'public'::regnamespace")) {
      int tables = 0;
      while (rs.next()) {
        tables++;
        assertThat(rs.getBoolean(2)).as(rs.getString(1) + " enabled").isTrue();
        assertThat(rs.getBoolean(3)).as(rs.getString(1) + " forced").isTrue();
      }
      assertThat(tables).isGreaterThanOrEqualTo(7);
    }
  }

  @Test
  @DisplayName("migrations refuse a service role that is the owner")
  void refusesOwnerAsServiceRole() {
    assertThatThrownBy(() -> Migrations.apply(owner, owner.user(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row-level security");
  }

  private static List<String> tenantTables() throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = connect(owner.user(), owner.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid"
                    + " where a.attname = 'tenant_id' and c.relkind = 'r'"
                    + " and c.relnamespace = 'public'::regnamespace")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    assertThat(tables).contains("scim_users", "bearer_tokens", "audit_log");
    return tables;
  }

  private static Connection connect(String user, String password) throws SQLException {
    return DriverManager.getConnection(owner.jdbcUrl(), user, password);
  }

  private static void setTenant(Connection c, UUID tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
      ps.setString(1, tenant.toString());
      ps.execute();
    }
  }

  private static long count(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void exec(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      ps.execute();
    }
  }
}
