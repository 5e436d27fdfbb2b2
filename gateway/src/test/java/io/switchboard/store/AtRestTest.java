package io.switchboard.store;

import static io.switchboard.testkit.ScimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestDatabase;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Data at rest: the operator's database holds no readable personal data or secrets")
class AtRestTest {

  @Test
  @DisplayName("after a provisioning run, a dump of every table contains none of the test data")
  void dumpHoldsNoPii() throws Exception {
    TestGateway gateway = TestGateway.shared();
    TestTenant tenant = gateway.newTenant();
    ScimClient scim = tenant.scim();
    String marker = UUID.randomUUID().toString().substring(0, 8);
    String userName = "zelda." + marker + "@hyrule.example";
    String email = "personal." + marker + "@mail.example";
    String given = "Zeldagiven" + marker;
    String family = "Harkinian" + marker;
    String display = "Princess" + marker;
    String groupName = "Triforce Keepers " + marker;
    String externalId = "ext-" + marker + "-id";
    String registered = "Gerudo Council " + marker;
    String deletedGroup = "Sheikah Guard " + marker;

    Response user =
        scim.post(
            "/Users",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                + "\"userName\":\""
                + userName
                + "\",\"externalId\":\""
                + externalId
                + "\",\"displayName\":\""
                + display
                + "\",\"name\":{\"givenName\":\""
                + given
                + "\",\"familyName\":\""
                + family
                + "\"},\"emails\":[{\"value\":\""
                + email
                + "\",\"primary\":true}],\"password\":\"Secret-"
                + marker
                + "\"}");
    assertThat(user.status()).as(user.toString()).isEqualTo(201);
    String userId = user.body().get("id").asText();
    Response group =
        scim.post(
            "/Groups",
            "{\"displayName\":\"" + groupName + "\",\"members\":[{\"value\":\"" + userId + "\"}]}");
    assertThat(group.status()).as(group.toString()).isEqualTo(201);
    // account groups: one registered by the operator, one kept (unlinked) after a SCIM DELETE
    var context =
        TestGateway.await(
            gateway.switchboard().contexts().authenticate("Bearer " + tenant.token()));
    assertThat(
            TestGateway.await(
                AccountGroups.register(
                    gateway.switchboard().database(), context.keys(), registered)))
        .isPresent();
    Response doomed = scim.post("/Groups", "{\"displayName\":\"" + deletedGroup + "\"}");
    assertThat(doomed.status()).as(doomed.toString()).isEqualTo(201);
    assertThat(scim.delete("/Groups/" + doomed.body().get("id").asText()).status()).isEqualTo(204);
    Response renamed =
        scim.patch(
            "/Users/" + userId,
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"name.givenName\",\"value\":\""
                + given
                + "2\"}]}");
    assertThat(renamed.status()).as(renamed.toString()).isIn(200, 204);
    // the lookups go through blind indexes and still find the user
    assertThat(
            scim.get(
                    "/Users?filter="
                        + q("userName eq \"" + userName.toUpperCase(Locale.ROOT) + "\""))
                .body()
                .get("totalResults")
                .asInt())
        .isEqualTo(1);

    String dump = dumpEverything();
    assertThat(dump).contains(userId); // the dump did read the directory's rows
    // ... and the account groups' rows, with their encrypted names
    int at = dump.indexOf("account_groups\n");
    assertThat(at).isPositive();
    int end = dump.indexOf("\n== ", at);
    assertThat(dump.substring(at, end < 0 ? dump.length() : end)).contains(tenant.id().toString());
    List<String> needles =
        List.of(
            userName,
            email,
            given,
            family,
            display,
            groupName,
            externalId,
            registered,
            deletedGroup,
            "Secret-" + marker,
            tenant.token());
    for (String needle : needles) {
      String lower = needle.toLowerCase(Locale.ROOT);
      assertThat(dump.toLowerCase(Locale.ROOT)).as("plain %s", needle).doesNotContain(lower);
      String hex = HexFormat.of().formatHex(needle.getBytes(StandardCharsets.UTF_8));
      assertThat(dump).as("hex of %s", needle).doesNotContain(hex);
    }
  }

  /** Every row of every table in the schema, as text (bytea in hex), read as the owner. */
  static String dumpEverything() throws Exception {
    var owner = TestDatabase.get().ownerUrl();
    StringBuilder out = new StringBuilder();
    try (Connection c =
            DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "select quote_ident(table_schema) || '.' || quote_ident(table_name)"
                  + " from information_schema.tables"
                  + " where table_schema not in ('pg_catalog', 'information_schema')"
                  + " and table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertThat(tables).isNotEmpty();
      for (String table : tables) {
        out.append("== ").append(table).append('\n');
        try (ResultSet rs = s.executeQuery("select t::text from " + table + " t")) {
          while (rs.next()) {
            out.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}
