package io.switchboard.lifecycle;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.feed.DirectoryReplica;
import io.switchboard.feed.FeedEvent;
import io.switchboard.feed.FeedReader;
import io.switchboard.scim.ScimJson;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The account lifecycle and the change feed, driven by real SCIM requests")
class ScimLifecycleTest {
  private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private final TestGateway gateway = TestGateway.shared();
  private TestGateway.TestTenant org;
  private ScimClient scim;
  private TenantContext tenant;
  private long seen;

  @BeforeEach
  void org() {
    org = gateway.newTenant();
    scim = org.scim();
    tenant = await(gateway.switchboard().contexts().authenticate("Bearer " + org.token()));
    seen = 0;
  }

  private List<FeedEvent> feedAfter(long after) {
    return await(
        gateway
            .switchboard()
            .database()
            .inTenant(tenant.tenantId(), c -> FeedReader.after(c, tenant.keys(), after, 1000)));
  }

  /** Event types (with the resource id) since the last call. */
  private List<String> newEvents() {
    List<FeedEvent> events = feedAfter(seen);
    if (!events.isEmpty()) {
      seen = events.get(events.size() - 1).seq();
    }
    return events.stream().map(e -> e.type() + ":" + e.resourceId()).toList();
  }

  private static ObjectNode user(String userName, String email) {
    ObjectNode u = ScimJson.object();
    u.putArray("schemas").add(USER);
    u.put("userName", userName);
    u.put("active", true);
    u.putArray("emails").addObject().put("value", email).put("type", "work").put("primary", true);
    return u;
  }

  private static ObjectNode patch(String op, String path, Object value) {
    ObjectNode p = ScimJson.object();
    p.putArray("schemas").add(PATCH);
    ObjectNode o = p.putArray("Operations").addObject().put("op", op);
    if (path != null) {
      o.put("path", path);
    }
    o.set("value", ScimJson.MAPPER.valueToTree(value));
    return p;
  }

  private String status(String userId) {
    return await(
            AccountLifecycle.status(
                gateway.switchboard().database(),
                tenant.tenantId(),
                java.util.UUID.fromString(userId)))
        .orElseThrow()
        .status();
  }

  @Test
  @DisplayName(
      "create, suspend, reactivate, change email, delete and re-create a user, and grant"
          + " and revoke a group: the feed holds the expected events in order")
  void lifecycle() {
    var created = scim.post("/Users", user("ada@example.com", "ada@example.com"));
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String ada = created.body().get("id").asText();
    assertThat(created.body().get("active").asBoolean()).isTrue();
    assertThat(newEvents()).containsExactly("user.invited:" + ada, "user.confirmed:" + ada);
    assertThat(status(ada)).isEqualTo("active");

    var suspended = scim.patch("/Users/" + ada, patch("replace", "active", false));
    assertThat(suspended.status()).as(suspended.raw()).isIn(200, 204);
    assertThat(newEvents()).containsExactly("user.updated:" + ada, "user.suspended:" + ada);
    assertThat(status(ada)).isEqualTo("suspended");
    assertThat(scim.get("/Users/" + ada).body().get("active").asBoolean()).isFalse();

    var reactivated = scim.patch("/Users/" + ada, patch("replace", null, Map.of("active", true)));
    assertThat(reactivated.status()).as(reactivated.raw()).isIn(200, 204);
    assertThat(newEvents()).containsExactly("user.updated:" + ada, "user.reactivated:" + ada);
    assertThat(status(ada)).isEqualTo("active");

    var renamed =
        scim.put("/Users/" + ada, user("ada.lovelace@example.com", "ada.lovelace@example.com"));
    assertThat(renamed.status()).as(renamed.raw()).isEqualTo(200);
    assertThat(newEvents())
        .containsExactly("user.updated:" + ada, "user.email_change_pending:" + ada);
    assertThat(scim.get("/Users/" + ada).body().get("userName").asText())
        .as("the directory shows the new value")
        .isEqualTo("ada.lovelace@example.com");

    ObjectNode g = ScimJson.object();
    g.putArray("schemas").add(GROUP);
    g.put("displayName", "Engineering");
    var group = scim.post("/Groups", g);
    assertThat(group.status()).as(group.raw()).isEqualTo(201);
    String eng = group.body().get("id").asText();
    assertThat(
            scim.patch("/Groups/" + eng, patch("add", "members", List.of(Map.of("value", ada))))
                .status())
        .isIn(200, 204);
    assertThat(
            scim.patch("/Groups/" + eng, patch("remove", "members[value eq \"" + ada + "\"]", null))
                .status())
        .isIn(200, 204);
    assertThat(newEvents())
        .containsExactly(
            "group.created:" + eng, "group.member.granted:" + eng, "group.member.revoked:" + eng);

    assertThat(scim.delete("/Users/" + ada).status()).isEqualTo(204);
    assertThat(scim.get("/Users/" + ada).status()).isEqualTo(404);
    List<FeedEvent> deleted = feedAfter(seen);
    assertThat(newEvents()).containsExactly("user.deleted:" + ada);
    assertThat(deleted.get(0).data().path("disposition").asText()).isEqualTo("suspended");
    assertThat(status(ada)).as("the account is kept, suspended").isEqualTo("suspended");

    var again = scim.post("/Users", user("ada.lovelace@example.com", "ada.lovelace@example.com"));
    assertThat(again.status()).as("the userName is free again").isEqualTo(201);
    String ada2 = again.body().get("id").asText();
    assertThat(ada2).isNotEqualTo(ada);
    assertThat(newEvents()).containsExactly("user.invited:" + ada2, "user.confirmed:" + ada2);

    List<FeedEvent> all = feedAfter(0);
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isEqualTo(i + 1);
    }
  }

  @Test
  @DisplayName(
      "a consumer rebuilds the directory from the feed alone and it matches GET /Users and"
          + " GET /Groups exactly")
  void rebuildMatchesScim() {
    Random random = new Random(11);
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int step = 0; step < 150; step++) {
      int op = random.nextInt(8);
      if (op < 3 || users.size() < 2) {
        var r = scim.post("/Users", user("u" + step + "@example.com", "u" + step + "@example.com"));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        users.add(r.body().get("id").asText());
      } else if (op == 3) {
        String id = users.get(random.nextInt(users.size()));
        assertThat(
                scim.patch("/Users/" + id, patch("replace", "active", random.nextBoolean()))
                    .status())
            .isIn(200, 204);
      } else if (op == 4 && users.size() > 3) {
        assertThat(scim.delete("/Users/" + users.remove(random.nextInt(users.size()))).status())
            .isEqualTo(204);
      } else if (op == 5 || groups.isEmpty()) {
        ObjectNode g = ScimJson.object();
        g.putArray("schemas").add(GROUP);
        g.put("displayName", "g" + step);
        g.putArray("members").addObject().put("value", users.get(random.nextInt(users.size())));
        var r = scim.post("/Groups", g);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        groups.add(r.body().get("id").asText());
      } else if (op == 6) {
        String gid = groups.get(random.nextInt(groups.size()));
        String uid = users.get(random.nextInt(users.size()));
        String verb = random.nextBoolean() ? "add" : "remove";
        var body =
            verb.equals("add")
                ? patch("add", "members", List.of(Map.of("value", uid)))
                : patch("remove", "members[value eq \"" + uid + "\"]", null);
        assertThat(scim.patch("/Groups/" + gid, body).status()).isIn(200, 204);
      } else if (groups.size() > 2) {
        String gid = groups.get(random.nextInt(groups.size()));
        assertThat(
                scim.patch("/Groups/" + gid, patch("replace", "displayName", "renamed-" + step))
                    .status())
            .isIn(200, 204);
      }
    }

    DirectoryReplica replica = new DirectoryReplica();
    feedAfter(0).forEach(e -> replica.apply(e.toJson()));

    Map<String, JsonNode> scimUsers = listAll("/Users");
    Map<String, JsonNode> scimGroups = listAll("/Groups");
    assertThat(replica.users.keySet()).isEqualTo(scimUsers.keySet());
    for (var e : scimUsers.entrySet()) {
      ObjectNode replicaDoc = replica.users.get(e.getKey());
      for (String field : List.of("userName", "active", "emails")) {
        assertThat(replicaDoc.get(field)).as(field).isEqualTo(e.getValue().get(field));
      }
    }
    assertThat(replica.groups.keySet()).isEqualTo(scimGroups.keySet());
    for (var e : scimGroups.entrySet()) {
      assertThat(replica.groups.get(e.getKey()).get("displayName"))
          .isEqualTo(e.getValue().get("displayName"));
      Set<String> members = new HashSet<>(e.getValue().path("members").findValuesAsText("value"));
      assertThat(replica.members.get(e.getKey())).isEqualTo(members);
    }
  }

  private Map<String, JsonNode> listAll(String endpoint) {
    Map<String, JsonNode> out = new HashMap<>();
    int start = 1;
    while (true) {
      var page = scim.get(endpoint + "?startIndex=" + start + "&count=100");
      assertThat(page.status()).as(page.raw()).isEqualTo(200);
      JsonNode resources = page.body().path("Resources");
      for (JsonNode r : resources) {
        JsonNode full =
            endpoint.equals("/Groups") ? scim.get("/Groups/" + r.get("id").asText()).body() : r;
        out.put(r.get("id").asText(), full);
      }
      if (resources.size() == 0
          || start + resources.size() > page.body().get("totalResults").asInt()) {
        return out;
      }
      start += resources.size();
    }
  }
}
