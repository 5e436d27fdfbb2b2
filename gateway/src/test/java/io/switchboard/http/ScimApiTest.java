package io.switchboard.http;

import static io.switchboard.testkit.ScimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("The SCIM API over real HTTP, on a real database")
class ScimApiTest {
  private static final TestGateway GATEWAY = TestGateway.shared();

  static String user(String userName) {
    return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
        + userName
        + "\",\"name\":{\"givenName\":\"Ada\",\"familyName\":\"Lovelace\"},"
        + "\"emails\":[{\"value\":\""
        + userName
        + "\",\"type\":\"work\",\"primary\":true}],\"active\":true,\"externalId\":\"ext-"
        + userName
        + "\"}";
  }

  static String createUser(ScimClient scim, String userName) {
    Response r = scim.post("/Users", user(userName));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  static String createGroup(ScimClient scim, String name, String... members) {
    StringBuilder m = new StringBuilder();
    for (String id : members) {
      m.append(m.length() == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
    }
    Response r =
        scim.post(
            "/Groups",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\""
                + name
                + "\",\"members\":["
                + m
                + "]}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  @Nested
  @DisplayName("users")
  class Users {
    @Test
    @DisplayName("create answers 201 with Location, ETag and a complete meta; get returns it")
    void createAndGet() {
      ScimClient scim = GATEWAY.newTenant().scim();
      Response created = scim.post("/Users", user("ada@example.com"));
      assertThat(created.status()).isEqualTo(201);
      String id = created.body().get("id").asText();
      assertThat(created.header("Location")).isEqualTo(scim.baseUrl() + "/Users/" + id);
      assertThat(created.header("ETag")).isEqualTo("W/\"1\"");
      assertThat(created.header("Content-Type")).startsWith("application/scim+json");
      JsonNode meta = created.body().get("meta");
      assertThat(meta.get("resourceType").asText()).isEqualTo("User");
      assertThat(meta.get("location").asText()).isEqualTo(scim.baseUrl() + "/Users/" + id);
      assertThat(created.body().get("password")).isNull();

      Response got = scim.get("/Users/" + id);
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.body().get("userName").asText()).isEqualTo("ada@example.com");
      assertThat(got.body().at("/name/familyName").asText()).isEqualTo("Lovelace");
      assertThat(got.body().get("groups")).isNotNull();
    }

    @Test
    @DisplayName("a second create with the same userName in any case is 409 uniqueness")
    void uniqueness() {
      ScimClient scim = GATEWAY.newTenant().scim();
      createUser(scim, "Grace@example.com");
      Response again = scim.post("/Users", user("grace@EXAMPLE.com"));
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.body().get("scimType").asText()).isEqualTo("uniqueness");
      assertThat(scim.get("/Users").body().get("totalResults").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("PUT replaces, PATCH modifies, If-Match guards, DELETE removes and frees the name")
    void lifecycle() {
      ScimClient scim = GATEWAY.newTenant().scim();
      String id = createUser(scim, "linus@example.com");
      Response put =
          scim.put(
              "/Users/" + id,
              "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                  + "\"userName\":\"linus@example.com\",\"displayName\":\"Linus\"}");
      assertThat(put.status()).as(put.toString()).isEqualTo(200);
      assertThat(put.body().get("displayName").asText()).isEqualTo("Linus");
      assertThat(put.body().get("name")).isNull();
      assertThat(put.header("ETag")).isEqualTo("W/\"2\"");

      Response stale =
          scim.send(
              "PATCH",
              "/Users/" + id,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
              "application/scim+json",
              "If-Match",
              "W/\"1\"");
      assertThat(stale.status()).isEqualTo(412);

      Response patched =
          scim.patch(
              "/Users/" + id,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
      assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
      assertThat(patched.body().get("active").asBoolean()).isFalse();

      assertThat(scim.delete("/Users/" + id).status()).isEqualTo(204);
      Response gone = scim.get("/Users/" + id);
      assertThat(gone.status()).isEqualTo(404);
      assertThat(gone.body().get("schemas").get(0).asText())
          .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
      createUser(scim, "linus@example.com");
    }

    @Test
    @DisplayName("filters find users by indexed and non-indexed attributes, and page stably")
    void filtersAndPaging() {
      ScimClient scim = GATEWAY.newTenant().scim();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        ids.add(createUser(scim, "user" + i + "@example.com"));
      }
      Response byName = scim.get("/Users?filter=" + q("userName eq \"USER3@example.com\""));
      assertThat(byName.status()).isEqualTo(200);
      assertThat(byName.body().get("totalResults").asInt()).isEqualTo(1);
      assertThat(byName.body().at("/Resources/0/id").asText()).isEqualTo(ids.get(3));

      Response byExternal =
          scim.get("/Users?filter=" + q("externalId eq \"ext-user4@example.com\""));
      assertThat(byExternal.body().at("/Resources/0/id").asText()).isEqualTo(ids.get(4));

      Response byEmail =
          scim.get(
              "/Users?filter=" + q("emails[type eq \"work\" and value eq \"user5@example.com\"]"));
      assertThat(byEmail.body().at("/Resources/0/id").asText()).isEqualTo(ids.get(5));

      Response startsWith =
          scim.get("/Users?filter=" + q("userName sw \"user\" and active eq true"));
      assertThat(startsWith.body().get("totalResults").asInt()).isEqualTo(7);

      Response page = scim.get("/Users?startIndex=3&count=2");
      assertThat(page.body().get("totalResults").asInt()).isEqualTo(7);
      assertThat(page.body().get("itemsPerPage").asInt()).isEqualTo(2);
      assertThat(page.body().get("startIndex").asInt()).isEqualTo(3);
      assertThat(page.body().at("/Resources/0/id").asText()).isEqualTo(ids.get(2));

      Response sorted = scim.get("/Users?sortBy=userName&sortOrder=descending&count=1");
      assertThat(sorted.body().at("/Resources/0/userName").asText()).isEqualTo("user6@example.com");

      Response countOnly = scim.get("/Users?count=0");
      assertThat(countOnly.body().get("totalResults").asInt()).isEqualTo(7);
      assertThat(countOnly.body().path("Resources").size()).isZero();

      Response projected = scim.get("/Users?attributes=userName&count=1");
      JsonNode first = projected.body().at("/Resources/0");
      assertThat(first.has("userName")).isTrue();
      assertThat(first.has("id")).isTrue();
      assertThat(first.has("emails")).isFalse();
    }

    @Test
    @DisplayName("POST /.search takes the query in the body")
    void search() {
      ScimClient scim = GATEWAY.newTenant().scim();
      String id = createUser(scim, "search@example.com");
      Response r =
          scim.post(
              "/Users/.search",
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],"
                  + "\"filter\":\"userName eq \\\"search@example.com\\\"\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().at("/Resources/0/id").asText()).isEqualTo(id);
    }
  }

  @Nested
  @DisplayName("groups")
  class Groups {
    @Test
    @DisplayName("members are added and removed by PATCH and shown on both sides")
    void membership() {
      ScimClient scim = GATEWAY.newTenant().scim();
      String alice = createUser(scim, "alice@example.com");
      String bob = createUser(scim, "bob@example.com");
      String group = createGroup(scim, "Engineering", alice);

      Response add =
          scim.patch(
              "/Groups/" + group,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                  + bob
                  + "\"}]}]}");
      assertThat(add.status()).as(add.toString()).isEqualTo(204);
      JsonNode members = scim.get("/Groups/" + group).body().get("members");
      assertThat(members).hasSize(2);
      assertThat(scim.get("/Users/" + bob).body().at("/groups/0/value").asText()).isEqualTo(group);

      Response probe =
          scim.get(
              "/Groups?filter="
                  + q("id eq \"" + group + "\" and members eq \"" + bob + "\"")
                  + "&excludedAttributes=members");
      assertThat(probe.body().get("totalResults").asInt()).isEqualTo(1);
      assertThat(probe.body().at("/Resources/0").has("members")).isFalse();

      Response remove =
          scim.patch(
              "/Groups/" + group,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"remove\",\"path\":\"members[value eq \\\""
                  + alice
                  + "\\\"]\"}]}");
      assertThat(remove.status()).isEqualTo(204);
      assertThat(scim.get("/Groups/" + group).body().get("members")).hasSize(1);
      Response notMember =
          scim.get(
              "/Groups?filter=" + q("id eq \"" + group + "\" and members eq \"" + alice + "\""));
      assertThat(notMember.body().get("totalResults").asInt()).isZero();
    }

    @Test
    @DisplayName(
        "Entra's replace of members with only the new member: RFC by default, additive by"
            + " setting, and flagged in the audit log either way")
    void replaceGuard() throws Exception {
      for (String mode : new String[] {"rfc", "additive"}) {
        TestTenant tenant = GATEWAY.newTenant();
        GATEWAY.setSettings(
            tenant.id(), new io.vertx.core.json.JsonObject().put("membersReplace", mode));
        ScimClient scim = tenant.scim();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          users.add(createUser(scim, mode + i + "@example.com"));
        }
        String group =
            createGroup(scim, "Guarded", users.get(0), users.get(1), users.get(2), users.get(3));
        Response r =
            scim.patch(
                "/Groups/" + group,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"Replace\",\"path\":\"members\","
                    + "\"value\":[{\"value\":\""
                    + users.get(4)
                    + "\"}]}]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(204);
        int members = scim.get("/Groups/" + group).body().get("members").size();
        String action;
        if (mode.equals("rfc")) {
          assertThat(members).isEqualTo(1);
          action = "scim.group.members.mass_removal";
        } else {
          assertThat(members).isEqualTo(5);
          action = "scim.group.members.mass_removal_prevented";
        }
        var owner = io.switchboard.testkit.TestDatabase.get().ownerUrl();
        try (var c =
                java.sql.DriverManager.getConnection(
                    owner.jdbcUrl(), owner.user(), owner.password());
            var q =
                c.prepareStatement(
                    "select count(*) from audit_log where tenant_id = ? and action = ?")) {
          q.setObject(1, tenant.id());
          q.setString(2, action);
          try (var rs = q.executeQuery()) {
            rs.next();
            assertThat(rs.getInt(1)).as(mode).isEqualTo(1);
          }
        }
      }
    }

    @Test
    @DisplayName("a member that does not exist in this directory is 400 and nothing changes")
    void unknownMember() {
      ScimClient scim = GATEWAY.newTenant().scim();
      String group = createGroup(scim, "Ops");
      Response r =
          scim.patch(
              "/Groups/" + group,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                  + "\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\",\"value\":\"X\"},"
                  + "{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\""
                  + java.util.UUID.randomUUID()
                  + "\"}]}]}");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
      assertThat(scim.get("/Groups/" + group).body().get("displayName").asText()).isEqualTo("Ops");
    }
  }

  @Nested
  @DisplayName("isolation between tenants")
  class Isolation {
    @Test
    @DisplayName("a tenant can neither read, list, count, change nor reference another's resources")
    void isolation() {
      TestTenant a = GATEWAY.newTenant();
      TestTenant b = GATEWAY.newTenant();
      String userA = createUser(a.scim(), "shared@example.com");
      String groupA = createGroup(a.scim(), "Admins", userA);

      Response read = b.scim().get("/Users/" + userA);
      Response readMissing = b.scim().get("/Users/" + java.util.UUID.randomUUID());
      assertThat(read.status()).isEqualTo(404);
      assertThat(read.body().get("detail").asText())
          .isEqualTo(readMissing.body().get("detail").asText().replaceAll("[0-9a-f-]{36}", userA));
      assertThat(b.scim().get("/Users").body().get("totalResults").asInt()).isZero();
      assertThat(
              b.scim()
                  .get("/Users?filter=" + q("userName eq \"shared@example.com\""))
                  .body()
                  .get("totalResults")
                  .asInt())
          .isZero();
      assertThat(b.scim().delete("/Users/" + userA).status()).isEqualTo(404);
      assertThat(b.scim().put("/Users/" + userA, user("x@example.com")).status()).isEqualTo(404);
      assertThat(b.scim().delete("/Groups/" + groupA).status()).isEqualTo(404);

      // the same userName is free in b: uniqueness is per tenant
      createUser(b.scim(), "shared@example.com");
      Response cross =
          b.scim()
              .post(
                  "/Groups",
                  "{\"displayName\":\"Steal\",\"members\":[{\"value\":\"" + userA + "\"}]}");
      assertThat(cross.status()).isEqualTo(400);
      assertThat(a.scim().get("/Users/" + userA).body().get("groups")).hasSize(1);
    }
  }

  @Nested
  @DisplayName("bad input gets a clear SCIM error and loses nothing")
  class BadInput {
    @ParameterizedTest(name = "{0} {1} → {3} {4}")
    @CsvSource(
        delimiter = '|',
        value = {
          "POST|/Users|{not json|400|invalidSyntax",
          "POST|/Users|[]|400|invalidSyntax",
          "POST|/Users|{\"userName\":\"a@b\",\"active\":3}|400|invalidValue",
          "POST|/Users|{\"displayName\":\"no userName\"}|400|invalidValue",
          "GET|/Users?filter=userName%20eq|-|400|invalidFilter",
          "GET|/Users?filter=userName%20zz%20%22x%22|-|400|invalidFilter",
          "GET|/Users?startIndex=abc|-|400|invalidValue",
          "PATCH|/Users/00000000-0000-0000-0000-000000000000|{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}|404|-",
          "GET|/Users/not-an-id|-|404|-",
          "GET|/Nope|-|404|-",
          "DELETE|/Users|-|405|-",
          "POST|/Users|-|400|invalidSyntax",
        })
    void table(String method, String path, String body, int status, String scimType) {
      ScimClient scim = GATEWAY.newTenant().scim();
      Response r =
          scim.send(
              method,
              path,
              body.equals("-") ? null : body,
              body.equals("-") ? null : "application/scim+json");
      assertThat(r.status()).as(r.toString()).isEqualTo(status);
      assertThat(r.header("Content-Type")).startsWith("application/scim+json");
      assertThat(r.body().get("status").asText()).isEqualTo(Integer.toString(status));
      if (scimType.equals("-")) {
        assertThat(r.body().get("scimType")).isNull();
      } else {
        assertThat(r.body().get("scimType").asText()).isEqualTo(scimType);
      }
      assertThat(r.raw()).doesNotContain("Exception").doesNotContain("\tat ");
      assertThat(scim.get("/Users").body().get("totalResults").asInt()).isZero();
    }

    @Test
    @DisplayName("a body over the limit is 413 and a wrong content type 415")
    void sizeAndType() {
      ScimClient scim = GATEWAY.newTenant().scim();
      String huge = "{\"userName\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}";
      Response big = scim.post("/Users", huge);
      assertThat(big.status()).isEqualTo(413);
      Response xml = scim.send("POST", "/Users", "<user/>", "application/xml");
      assertThat(xml.status()).isEqualTo(415);
      assertThat(scim.get("/Users").body().get("totalResults").asInt()).isZero();
    }

    @Test
    @DisplayName("IdP path variations reach the same endpoints")
    void paths() {
      ScimClient scim = GATEWAY.newTenant().scim();
      createUser(scim, "path@example.com");
      assertThat(scim.get("/users/").body().get("totalResults").asInt()).isEqualTo(1);
      assertThat(scim.get("/USERS?aadOptscim062020").body().get("totalResults").asInt())
          .isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("per-tenant limits")
  class Limits {
    @Test
    @DisplayName("a tenant over its rate limit gets 429 with Retry-After; others are unaffected")
    void rateLimit() {
      TestTenant noisy = GATEWAY.newTenant();
      TestTenant quiet = GATEWAY.newTenant();
      GATEWAY.setSettings(
          noisy.id(),
          new io.vertx.core.json.JsonObject()
              .put(
                  "rateLimit",
                  new io.vertx.core.json.JsonObject().put("requestsPerSecond", 1).put("burst", 3)));
      List<Integer> statuses = new ArrayList<>();
      Response limited = null;
      for (int i = 0; i < 10; i++) {
        Response r = noisy.scim().get("/Users");
        statuses.add(r.status());
        if (r.status() == 429) {
          limited = r;
        }
      }
      assertThat(statuses).contains(200).contains(429);
      assertThat(limited.header("Retry-After")).isNotNull();
      assertThat(limited.body().get("status").asText()).isEqualTo("429");
      assertThat(limited.header("Content-Type")).startsWith("application/scim+json");
      for (int i = 0; i < 10; i++) {
        assertThat(quiet.scim().get("/Users").status()).isEqualTo(200);
      }
    }
  }

  @Nested
  @DisplayName("discovery and bulk")
  class DiscoveryAndBulk {
    @Test
    @DisplayName("discovery documents describe this service at its base URL")
    void discovery() {
      ScimClient scim = GATEWAY.newTenant().scim();
      Response spc = scim.get("/ServiceProviderConfig");
      assertThat(spc.status()).isEqualTo(200);
      assertThat(spc.body().at("/patch/supported").asBoolean()).isTrue();
      assertThat(spc.body().at("/bulk/supported").asBoolean()).isTrue();
      assertThat(scim.get("/ResourceTypes/User").body().get("endpoint").asText())
          .isEqualTo("/Users");
      assertThat(
              scim.get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")
                  .body()
                  .get("id")
                  .asText())
          .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
      assertThat(scim.get("/Me").status()).isEqualTo(501);
    }

    @Test
    @DisplayName("bulk creates a user and a group that refers to it by bulkId")
    void bulk() {
      ScimClient scim = GATEWAY.newTenant().scim();
      Response r =
          scim.post(
              "/Bulk",
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                  + "\"Operations\":["
                  + "{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g\",\"data\":"
                  + "{\"displayName\":\"Bulk\",\"members\":[{\"value\":\"bulkId:u\"}]}},"
                  + "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u\",\"data\":"
                  + user("bulk@example.com")
                  + "},"
                  + "{\"method\":\"DELETE\",\"path\":\"/Users/"
                  + java.util.UUID.randomUUID()
                  + "\"}]}");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      JsonNode ops = r.body().get("Operations");
      assertThat(ops).hasSize(3);
      assertThat(ops.get(0).get("status").asText()).isEqualTo("201");
      assertThat(ops.get(1).get("status").asText()).isEqualTo("201");
      assertThat(ops.get(2).get("status").asText()).isEqualTo("404");
      Response groups = scim.get("/Groups?filter=" + q("displayName eq \"Bulk\""));
      assertThat(groups.body().at("/Resources/0/members")).hasSize(1);
    }
  }
}
