package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName(
    "Account groups: a pushed group whose name matches an unlinked account group links to it")
class AccountGroupLinkTest {
  private static final String GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
  private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  private static final String PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());
  private final TestGateway gateway = TestGateway.shared();
  private TestGateway.TestTenant org;
  private ScimClient scim;
  private long seen;

  @BeforeEach
  void org() {
    org = gateway.newTenant();
    scim = org.scim();
    seen = 0;
  }

  private String register(TestGateway.TestTenant tenant, String name) {
    var r =
        fleet.post(
            "/orgs/" + tenant.id() + "/account-groups",
            new JsonObject().put("displayName", name).encode());
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    assertThat(r.body().get("scimGroupId").isNull()).isTrue();
    assertThat(r.body().get("origin").asText()).isEqualTo("account");
    return r.body().get("id").asText();
  }

  private List<JsonNode> accountGroups(TestGateway.TestTenant tenant) {
    var r = fleet.get("/orgs/" + tenant.id() + "/account-groups");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.body().get("items").forEach(out::add);
    return out;
  }

  private JsonNode accountGroup(String id) {
    return accountGroups(org).stream()
        .filter(g -> g.get("id").asText().equals(id))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no account group " + id));
  }

  /** Feed events since the last call, as the pull API serves them. */
  private List<JsonNode> newEvents() {
    var r = fleet.get("/orgs/" + org.id() + "/events?after=" + seen + "&limit=1000");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.body().get("items").forEach(out::add);
    seen = r.body().get("nextCursor").asLong();
    return out;
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.get("type").asText()).toList();
  }

  private ScimClient.Response postGroup(ScimClient client, String name, String... members) {
    JsonArray m = new JsonArray();
    for (String id : members) {
      m.add(new JsonObject().put("value", id));
    }
    return client.post(
        "/Groups",
        new JsonObject()
            .put("schemas", new JsonArray().add(GROUP))
            .put("displayName", name)
            .put("members", m)
            .encode());
  }

  private String user(String name) {
    var r =
        scim.post(
            "/Users",
            new JsonObject()
                .put("schemas", new JsonArray().add(USER))
                .put("userName", name)
                .encode());
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  @Test
  @DisplayName(
      "the operator registers Engineering, the IdP pushes Engineering: 201, listed as linked,"
          + " one group.linked with that account group and its members, no group.created;"
          + " a second push of the name is 409")
  void linksOnPush() {
    String ada = user("ada@example.com");
    newEvents();
    String accountGroup = register(org, "Engineering");
    assertThat(newEvents()).as("registering an existing account group is no feed event").isEmpty();

    var created = postGroup(scim, "Engineering", ada);
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    String groupId = created.body().get("id").asText();

    JsonNode listed = accountGroup(accountGroup);
    assertThat(listed.get("scimGroupId").asText()).isEqualTo(groupId);
    assertThat(listed.get("displayName").asText()).isEqualTo("Engineering");
    assertThat(listed.get("managed").asBoolean()).isTrue();
    assertThat(listed.get("origin").asText()).isEqualTo("account");
    assertThat(listed.get("linkedAt").isNull()).isFalse();
    assertThat(accountGroups(org)).hasSize(1);

    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.linked");
    JsonNode linked = events.get(0);
    assertThat(linked.get("resourceId").asText()).isEqualTo(groupId);
    assertThat(linked.at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
    assertThat(linked.at("/data/resource/displayName").asText()).isEqualTo("Engineering");
    assertThat(linked.at("/data/members").findValuesAsText("value")).containsExactly(ada);

    var again = postGroup(scim, "Engineering");
    assertThat(again.status()).as(again.raw()).isEqualTo(409);
    assertThat(again.body().get("scimType").asText()).isEqualTo("uniqueness");
    assertThat(accountGroups(org)).hasSize(1);
    assertThat(newEvents()).isEmpty();
  }

  @Test
  @DisplayName(
      "a SCIM DELETE keeps the account group unlinked (hardDelete suspend); pushing the name"
          + " again, in another case, links to the same account group; another name creates one")
  void deleteKeepsAndRelinks() {
    var first = postGroup(scim, "Engineering");
    assertThat(first.status()).as(first.raw()).isEqualTo(201);
    String groupId = first.body().get("id").asText();
    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.created");
    String accountGroup = events.get(0).at("/data/accountGroupId").asText();
    assertThat(accountGroup).isNotBlank();
    assertThat(accountGroup(accountGroup).get("origin").asText()).isEqualTo("scim");

    assertThat(scim.delete("/Groups/" + groupId).status()).isEqualTo(204);
    events = newEvents();
    assertThat(types(events)).containsExactly("group.deleted");
    assertThat(events.get(0).at("/data/disposition").asText()).isEqualTo("kept");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
    JsonNode kept = accountGroup(accountGroup);
    assertThat(kept.get("scimGroupId").isNull()).isTrue();
    assertThat(kept.get("managed").isNull()).isTrue();
    assertThat(kept.get("displayName").asText()).isEqualTo("Engineering");

    var again = postGroup(scim, "ENGINEERING");
    assertThat(again.status()).as(again.raw()).isEqualTo(201);
    String second = again.body().get("id").asText();
    assertThat(second).isNotEqualTo(groupId);
    events = newEvents();
    assertThat(types(events)).containsExactly("group.linked");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
    assertThat(accountGroups(org)).hasSize(1);
    assertThat(accountGroup(accountGroup).get("scimGroupId").asText()).isEqualTo(second);
    assertThat(accountGroup(accountGroup).get("displayName").asText()).isEqualTo("ENGINEERING");

    var sales = postGroup(scim, "Sales");
    assertThat(sales.status()).as(sales.raw()).isEqualTo(201);
    events = newEvents();
    assertThat(types(events)).containsExactly("group.created");
    String salesAccount = events.get(0).at("/data/accountGroupId").asText();
    assertThat(salesAccount).isNotEqualTo(accountGroup);
    assertThat(accountGroups(org)).hasSize(2);
  }

  @Test
  @DisplayName(
      "names compare as uniqueness does (case-insensitive): a registered name is taken, and a"
          + " push in another case links")
  void normalisation() {
    String accountGroup = register(org, "Platform Team");
    var duplicate =
        fleet.post(
            "/orgs/" + org.id() + "/account-groups",
            new JsonObject().put("displayName", "PLATFORM team").encode());
    assertThat(duplicate.status()).as(duplicate.raw()).isEqualTo(409);
    assertThat(fleet.post("/orgs/" + org.id() + "/account-groups", "{}").status()).isEqualTo(400);

    var pushed = postGroup(scim, "platform TEAM");
    assertThat(pushed.status()).as(pushed.raw()).isEqualTo(201);
    assertThat(types(newEvents())).containsExactly("group.linked");
    assertThat(accountGroup(accountGroup).get("scimGroupId").asText())
        .isEqualTo(pushed.body().get("id").asText());
  }

  @Test
  @DisplayName("another tenant's unlinked Engineering is never linked from this tenant")
  void isolation() {
    TestGateway.TestTenant other = gateway.newTenant();
    String theirs = register(other, "Engineering");

    var pushed = postGroup(scim, "Engineering");
    assertThat(pushed.status()).as(pushed.raw()).isEqualTo(201);
    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.created");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isNotEqualTo(theirs);

    List<JsonNode> theirGroups = accountGroups(other);
    assertThat(theirGroups).hasSize(1);
    assertThat(theirGroups.get(0).get("scimGroupId").isNull()).isTrue();
    assertThat(accountGroups(org)).hasSize(1);
    assertThat(accountGroups(org).get(0).get("id").asText()).isNotEqualTo(theirs);
  }

  @Test
  @DisplayName("concurrent pushes of one registered name: one 201 links, every other one is 409")
  void concurrentPushes() throws Exception {
    String accountGroup = register(org, "Release");
    int n = 6;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ScimClient.Response>> results = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return postGroup(scim, "Release");
                }));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<ScimClient.Response> f : results) {
        statuses.add(f.get(60, TimeUnit.SECONDS).status());
      }
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(n - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(types(newEvents())).containsExactly("group.linked");
    assertThat(accountGroups(org)).hasSize(1);
    assertThat(accountGroup(accountGroup).get("scimGroupId").isNull()).isFalse();
    assertThat(scim.get("/Groups").body().get("totalResults").asInt()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "under hardDelete erase a SCIM DELETE removes the account group, so the name is new again")
  void eraseRemoves() {
    gateway.setSettings(org.id(), new JsonObject().put("hardDelete", "erase"));
    String accountGroup = register(org, "Engineering");
    var pushed = postGroup(scim, "Engineering");
    assertThat(pushed.status()).as(pushed.raw()).isEqualTo(201);
    newEvents();
    assertThat(scim.delete("/Groups/" + pushed.body().get("id").asText()).status()).isEqualTo(204);
    List<JsonNode> events = newEvents();
    assertThat(events.get(0).at("/data/disposition").asText()).isEqualTo("erased");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
    assertThat(accountGroups(org)).isEmpty();

    assertThat(postGroup(scim, "Engineering").status()).isEqualTo(201);
    assertThat(types(newEvents())).containsExactly("group.created");
  }

  @Test
  @DisplayName(
      "a renamed SCIM group takes its account group's name along; renaming onto an unlinked"
          + " account group's name is 409")
  void renameMovesTheName() {
    var ops = postGroup(scim, "Ops");
    String opsId = ops.body().get("id").asText();
    String accountGroup = newEvents().get(0).at("/data/accountGroupId").asText();
    var renamed =
        scim.patch(
            "/Groups/" + opsId,
            "{\"schemas\":[\""
                + PATCH
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"SRE\"}]}");
    assertThat(renamed.status()).as(renamed.raw()).isIn(200, 204);

    // the old name is free: a new account group
    var newOps = postGroup(scim, "Ops");
    assertThat(newOps.status()).as(newOps.raw()).isEqualTo(201);
    assertThat(types(newEvents())).containsExactly("group.renamed", "group.created");

    register(org, "Finance");
    var onto =
        scim.patch(
            "/Groups/" + opsId,
            "{\"schemas\":[\""
                + PATCH
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"finance\"}]}");
    assertThat(onto.status()).as(onto.raw()).isEqualTo(409);
    assertThat(onto.body().get("scimType").asText()).isEqualTo("uniqueness");

    // deleted under the suspend policy and pushed again under the new name: the same group
    assertThat(scim.delete("/Groups/" + opsId).status()).isEqualTo(204);
    newEvents();
    var sre = postGroup(scim, "sre");
    assertThat(sre.status()).as(sre.raw()).isEqualTo(201);
    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.linked");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
  }

  @Test
  @DisplayName("linking an unmanaged group emits nothing until it is selected; then group.managed")
  void unmanagedLinkIsSilent() {
    gateway.setSettings(
        org.id(),
        new JsonObject()
            .put(
                "managedGroups",
                new JsonObject().put("mode", "selected").put("groups", new JsonArray().add("x"))));
    String accountGroup = register(org, "Hidden");
    var pushed = postGroup(scim, "Hidden");
    assertThat(pushed.status()).as(pushed.raw()).isEqualTo(201);
    assertThat(newEvents()).isEmpty();
    JsonNode listed = accountGroup(accountGroup);
    assertThat(listed.get("scimGroupId").asText()).isEqualTo(pushed.body().get("id").asText());
    assertThat(listed.get("managed").asBoolean()).isFalse();

    var renamed =
        scim.patch(
            "/Groups/" + pushed.body().get("id").asText(),
            "{\"schemas\":[\""
                + PATCH
                + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"displayName\","
                + "\"value\":\"X\"}]}");
    assertThat(renamed.status()).as(renamed.raw()).isIn(200, 204);
    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.managed");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
  }

  @Test
  @DisplayName("a Bulk POST of a registered name links too")
  void bulkLinks() {
    String accountGroup = register(org, "Bulk Team");
    var bulk =
        scim.post(
            "/Bulk",
            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],"
                + "\"Operations\":[{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g1\","
                + "\"data\":{\"schemas\":[\""
                + GROUP
                + "\"],\"displayName\":\"bulk team\"}}]}");
    assertThat(bulk.status()).as(bulk.raw()).isEqualTo(200);
    assertThat(bulk.body().at("/Operations/0/status").asText()).isEqualTo("201");
    List<JsonNode> events = newEvents();
    assertThat(types(events)).containsExactly("group.linked");
    assertThat(events.get(0).at("/data/accountGroupId").asText()).isEqualTo(accountGroup);
  }
}
