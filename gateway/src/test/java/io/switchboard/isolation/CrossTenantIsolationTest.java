package io.switchboard.isolation;

import static io.switchboard.testkit.ScimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random SCIM traffic from many tenants whose ids, externalIds, userNames, member values and
 * filters are often taken from other tenants. No response may reveal another tenant's data, and at
 * the end each directory equals a model replay of its own tenant's operations. The seed is printed
 * on failure; rerun one with {@code -Disolation.seed=N}.
 */
@DisplayName("Tenants stay isolated under random cross-tenant traffic")
class CrossTenantIsolationTest {
  static final int TENANTS = 8;
  static final int OPERATIONS = 250;
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
  static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  record UserModel(String userName, String externalId, boolean active) {}

  static final class GroupModel {
    String displayName;
    final Set<String> members = new TreeSet<>();

    GroupModel(String displayName) {
      this.displayName = displayName;
    }
  }

  /** One tenant's expected directory and every value it has itself sent. */
  static final class Model {
    final TestTenant tenant;
    final Map<String, UserModel> users = new LinkedHashMap<>();
    final Map<String, GroupModel> groups = new LinkedHashMap<>();
    final Set<String> owned = new HashSet<>();
    final Set<String> mentioned = new HashSet<>();

    Model(TestTenant tenant) {
      this.tenant = tenant;
    }

    boolean hasUserName(String userName) {
      return users.values().stream().anyMatch(u -> u.userName().equalsIgnoreCase(userName));
    }

    boolean hasGroupName(String name) {
      return groups.values().stream().anyMatch(g -> g.displayName.equalsIgnoreCase(name));
    }
  }

  private final TestGateway gateway = TestGateway.shared();
  private final List<Model> models = new ArrayList<>();
  private Random random;
  private int counter;

  @Test
  @DisplayName("no response reveals another tenant, and every directory equals its model")
  void randomCrossTenantTraffic() {
    long seed = Long.getLong("isolation.seed", System.nanoTime());
    random = new Random(seed);
    try {
      for (int i = 0; i < TENANTS; i++) {
        TestTenant t = gateway.newTenant();
        gateway.setSettings(
            t.id(),
            new JsonObject()
                .put(
                    "rateLimit",
                    new JsonObject().put("requestsPerSecond", 1000).put("burst", 2000)));
        models.add(new Model(t));
      }
      for (int i = 0; i < OPERATIONS; i++) {
        step(models.get(random.nextInt(TENANTS)));
      }
      for (Model m : models) {
        assertDirectoryEqualsModel(m);
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "isolation failed with -Disolation.seed=" + seed + ": " + e.getMessage(), e);
    }
  }

  private void step(Model m) {
    switch (random.nextInt(12)) {
      case 0, 1 -> createUser(m);
      case 2 -> createGroup(m);
      case 3 -> getAny(m, "/Users/", foreignOrOwnId(m, true));
      case 4 -> getAny(m, "/Groups/", foreignOrOwnId(m, false));
      case 5 -> putUser(m);
      case 6 -> patchUser(m);
      case 7 -> patchGroupMembers(m);
      case 8 -> delete(m);
      case 9, 10 -> filter(m);
      default -> bulk(m);
    }
  }

  // ---- operations

  private void createUser(Model m) {
    String foreignName = random.nextInt(4) == 0 ? anyForeignUserName(m) : null;
    String userName =
        foreignName != null
            ? foreignName
            : "u" + (++counter) + "@t" + models.indexOf(m) + ".example";
    String foreignExt = random.nextInt(3) == 0 ? anyForeignExternalId(m) : null;
    String externalId = foreignExt != null ? foreignExt : "ext-" + UUID.randomUUID();
    Response r = send(m, "POST", "/Users", userJson(userName, externalId, true));
    if (m.hasUserName(userName)) {
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      return;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    String id = r.body().get("id").asText();
    m.users.put(id, new UserModel(userName, externalId, true));
    m.owned.addAll(List.of(id, userName.toLowerCase(), externalId));
  }

  private void createGroup(Model m) {
    String name = "g" + (++counter) + "-t" + models.indexOf(m);
    if (random.nextInt(4) == 0) {
      String foreign = anyForeignGroupName(m);
      if (foreign != null) {
        name = foreign;
      }
    }
    List<String> members = memberPicks(m);
    StringBuilder body =
        new StringBuilder("{\"schemas\":[\"" + GROUP_SCHEMA + "\"],\"displayName\":\"");
    body.append(name).append("\",\"members\":[").append(memberArray(members)).append("]}");
    Response r = send(m, "POST", "/Groups", body.toString());
    if (members.stream().anyMatch(id -> !isOwn(m, id))) {
      if (m.hasGroupName(name) && r.status() == 409) {
        // the name is taken in this tenant: uniqueness is checked before the members, and the
        // answer says nothing about the foreign ids
        assertThat(r.body().get("scimType").asText()).isEqualTo("uniqueness");
        assertThat(r.raw()).doesNotContain(members.toArray(String[]::new));
        return;
      }
      assertMemberRejected(m, r, members);
      return;
    }
    if (m.hasGroupName(name)) {
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      return;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    GroupModel g = new GroupModel(name);
    g.members.addAll(members);
    String id = r.body().get("id").asText();
    m.groups.put(id, g);
    m.owned.addAll(List.of(id, name.toLowerCase()));
  }

  private void getAny(Model m, String prefix, String id) {
    Response r = send(m, "GET", prefix + id, null);
    boolean own = prefix.equals("/Users/") ? m.users.containsKey(id) : m.groups.containsKey(id);
    if (own) {
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().get("id").asText()).isEqualTo(id);
      return;
    }
    assertNotFoundLikeRandom(m, "GET", prefix, id, null, r);
  }

  private void putUser(Model m) {
    String id = foreignOrOwnId(m, true);
    UserModel current = m.users.get(id);
    String userName = current == null ? "put" + (++counter) + "@x.example" : current.userName();
    String foreignExt = random.nextBoolean() ? anyForeignExternalId(m) : null;
    String externalId = foreignExt != null ? foreignExt : "ext-" + UUID.randomUUID();
    boolean active = random.nextBoolean();
    String body = userJson(userName, externalId, active);
    Response r = send(m, "PUT", "/Users/" + id, body);
    if (current == null) {
      assertNotFoundLikeRandom(m, "PUT", "/Users/", id, body, r);
      return;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    m.users.put(id, new UserModel(userName, externalId, active));
    m.owned.add(externalId);
  }

  private void patchUser(Model m) {
    String id = foreignOrOwnId(m, true);
    boolean active = random.nextBoolean();
    String body =
        "{\"schemas\":[\""
            + PATCH_SCHEMA
            + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":"
            + active
            + "}]}";
    Response r = send(m, "PATCH", "/Users/" + id, body);
    UserModel current = m.users.get(id);
    if (current == null) {
      assertNotFoundLikeRandom(m, "PATCH", "/Users/", id, body, r);
      return;
    }
    assertThat(r.status()).as(r.toString()).isIn(200, 204);
    m.users.put(id, new UserModel(current.userName(), current.externalId(), active));
  }

  private void patchGroupMembers(Model m) {
    String id = foreignOrOwnId(m, false);
    List<String> members = memberPicks(m);
    members.remove(id);
    if (members.isEmpty()) {
      return;
    }
    boolean add = random.nextInt(3) > 0;
    String body =
        "{\"schemas\":[\""
            + PATCH_SCHEMA
            + "\"],\"Operations\":[{\"op\":\""
            + (add ? "add" : "remove")
            + "\",\"path\":\"members\",\"value\":["
            + memberArray(members)
            + "]}]}";
    Response r = send(m, "PATCH", "/Groups/" + id, body);
    GroupModel g = m.groups.get(id);
    if (g == null) {
      assertNotFoundLikeRandom(m, "PATCH", "/Groups/", id, body, r);
      return;
    }
    if (add && members.stream().anyMatch(x -> !isOwn(m, x))) {
      assertMemberRejected(m, r, members);
      return;
    }
    assertThat(r.status()).as(r.toString()).isIn(200, 204);
    if (add) {
      g.members.addAll(members);
    } else {
      g.members.removeAll(members);
    }
  }

  private void delete(Model m) {
    boolean user = random.nextBoolean();
    String id = foreignOrOwnId(m, user);
    String prefix = user ? "/Users/" : "/Groups/";
    Response r = send(m, "DELETE", prefix + id, null);
    boolean own = user ? m.users.containsKey(id) : m.groups.containsKey(id);
    if (!own) {
      assertNotFoundLikeRandom(m, "DELETE", prefix, id, null, r);
      return;
    }
    assertThat(r.status()).as(r.toString()).isEqualTo(204);
    if (user) {
      m.users.remove(id);
    } else {
      m.groups.remove(id);
    }
    m.groups.values().forEach(g -> g.members.remove(id));
  }

  private void filter(Model m) {
    Model other = otherThan(m);
    List<String> choices = new ArrayList<>();
    other.users.forEach(
        (id, u) -> {
          choices.add("id eq \"" + id + "\"");
          choices.add("userName eq \"" + u.userName() + "\"");
          choices.add("externalId eq \"" + u.externalId() + "\"");
          choices.add("userName sw \"" + u.userName().substring(0, 2) + "\"");
        });
    m.users.forEach((id, u) -> choices.add("userName eq \"" + u.userName() + "\""));
    choices.add("userName pr");
    choices.add("active eq true");
    String filter = choices.get(random.nextInt(choices.size()));
    Response r = send(m, "GET", "/Users?count=1000&filter=" + q(filter), null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    long expected =
        m.users.entrySet().stream().filter(e -> matches(filter, e.getKey(), e.getValue())).count();
    assertThat(r.body().get("totalResults").asLong()).as(filter).isEqualTo(expected);
    for (JsonNode res : r.body().path("Resources")) {
      assertThat(m.users).containsKey(res.get("id").asText());
    }
    if (!other.groups.isEmpty() && random.nextBoolean()) {
      String foreignMember =
          other.users.isEmpty()
              ? other.groups.keySet().iterator().next()
              : other.users.keySet().iterator().next();
      String gf = "members.value eq \"" + foreignMember + "\"";
      Response g = send(m, "GET", "/Groups?filter=" + q(gf), null);
      assertThat(g.status()).as(g.toString()).isEqualTo(200);
      assertThat(g.body().get("totalResults").asInt()).as(gf).isZero();
    }
  }

  private static boolean matches(String filter, String id, UserModel u) {
    if (filter.equals("userName pr")) {
      return true;
    }
    if (filter.equals("active eq true")) {
      return u.active();
    }
    String value = filter.substring(filter.indexOf('"') + 1, filter.lastIndexOf('"'));
    if (filter.startsWith("id eq")) {
      return id.equals(value);
    }
    if (filter.startsWith("userName eq")) {
      return u.userName().equalsIgnoreCase(value);
    }
    if (filter.startsWith("userName sw")) {
      return u.userName().toLowerCase().startsWith(value.toLowerCase());
    }
    return u.externalId().equals(value);
  }

  /** A bulk that creates a user and a group naming it by bulkId, plus maybe a foreign member. */
  private void bulk(Model m) {
    String userName = "b" + (++counter) + "@t" + models.indexOf(m) + ".example";
    String groupName = "bg" + counter + "-t" + models.indexOf(m);
    String foreign = random.nextBoolean() ? anyForeignId(m) : null;
    String extraMember = foreign == null ? "" : ",{\"value\":\"" + foreign + "\"}";
    String foreignDelete = anyForeignId(m);
    String body =
        "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
            + "{\"method\":\"POST\",\"path\":\"/Users\",\"bulkId\":\"u1\",\"data\":"
            + userJson(userName, "ext-" + UUID.randomUUID(), true)
            + "},{\"method\":\"POST\",\"path\":\"/Groups\",\"bulkId\":\"g1\",\"data\":"
            + "{\"schemas\":[\""
            + GROUP_SCHEMA
            + "\"],\"displayName\":\""
            + groupName
            + "\",\"members\":[{\"value\":\"bulkId:u1\"}"
            + extraMember
            + "]}}"
            + (foreignDelete == null
                ? ""
                : ",{\"method\":\"DELETE\",\"path\":\"/Users/" + foreignDelete + "\"}")
            + "]}";
    Response r = send(m, "POST", "/Bulk", body);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonNode ops = r.body().get("Operations");
    assertThat(ops.get(0).get("status").asText()).as(r.toString()).isEqualTo("201");
    String userId = lastSegment(ops.get(0).get("location").asText());
    String externalId = body.split("\"externalId\":\"")[1].split("\"")[0];
    m.users.put(userId, new UserModel(userName, externalId, true));
    m.owned.addAll(List.of(userId, userName, externalId));
    if (foreign != null) {
      assertThat(ops.get(1).get("status").asText()).as(r.toString()).isEqualTo("400");
    } else {
      assertThat(ops.get(1).get("status").asText()).as(r.toString()).isEqualTo("201");
      GroupModel g = new GroupModel(groupName);
      g.members.add(userId);
      String gid = lastSegment(ops.get(1).get("location").asText());
      m.groups.put(gid, g);
      m.owned.addAll(List.of(gid, groupName));
    }
    if (foreignDelete != null) {
      assertThat(ops.get(2).get("status").asText()).as(r.toString()).isEqualTo("404");
    }
  }

  // ---- the final comparison

  private void assertDirectoryEqualsModel(Model m) {
    Response users = send(m, "GET", "/Users?count=1000", null);
    Map<String, UserModel> actualUsers = new HashMap<>();
    for (JsonNode u : users.body().path("Resources")) {
      actualUsers.put(
          u.get("id").asText(),
          new UserModel(
              u.get("userName").asText(),
              u.path("externalId").asText(),
              u.path("active").asBoolean()));
    }
    assertThat(users.body().get("totalResults").asInt()).isEqualTo(m.users.size());
    assertThat(actualUsers).as("users of %s", m.tenant.slug()).isEqualTo(m.users);

    Response groups = send(m, "GET", "/Groups?count=1000", null);
    Map<String, String> actualGroups = new HashMap<>();
    Map<String, String> expectedGroups = new HashMap<>();
    for (JsonNode g : groups.body().path("Resources")) {
      Set<String> members = new TreeSet<>();
      g.path("members").forEach(x -> members.add(x.get("value").asText()));
      actualGroups.put(g.get("id").asText(), g.get("displayName").asText() + members);
    }
    m.groups.forEach((id, g) -> expectedGroups.put(id, g.displayName + g.members));
    assertThat(actualGroups).as("groups of %s", m.tenant.slug()).isEqualTo(expectedGroups);
  }

  // ---- what a response may and may not say

  /**
   * Sends a request and checks the response names no value of another tenant that this tenant has
   * not itself sent: no id, userName, externalId or group name leaks.
   */
  private Response send(Model m, String method, String path, String body) {
    m.mentioned.add(path);
    if (body != null) {
      m.mentioned.add(body);
    }
    Response r =
        m.tenant.scim().send(method, path, body, body == null ? null : "application/scim+json");
    assertThat(r.status()).as("%s %s → %s", method, path, r).isLessThan(500);
    String raw = r.raw() == null ? "" : r.raw().toLowerCase();
    for (Model other : models) {
      if (other == m) {
        continue;
      }
      for (String secret : other.owned) {
        if (raw.contains(secret.toLowerCase())
            && !m.owned.contains(secret)
            && !mentionedBy(m, secret)) {
          throw new AssertionError(
              method
                  + " "
                  + path
                  + " by "
                  + m.tenant.slug()
                  + " revealed "
                  + other.tenant.slug()
                  + "'s "
                  + secret);
        }
      }
    }
    return r;
  }

  private static boolean mentionedBy(Model m, String secret) {
    String s = secret.toLowerCase();
    return m.mentioned.stream().anyMatch(x -> x.toLowerCase().contains(s));
  }

  /** A 404 for another tenant's id looks exactly like a 404 for an id nobody has. */
  private void assertNotFoundLikeRandom(
      Model m, String method, String prefix, String id, String body, Response r) {
    assertThat(r.status()).as("%s %s%s → %s", method, prefix, id, r).isEqualTo(404);
    String randomId = UUID.randomUUID().toString();
    String randomBody = body == null ? null : body.replace(id, randomId);
    Response probe = send(m, method, prefix + randomId, randomBody);
    assertThat(probe.status()).isEqualTo(404);
    assertThat(r.raw().replace(id, "ID")).isEqualTo(probe.raw().replace(randomId, "ID"));
    assertThat(r.headers().map().keySet()).isEqualTo(probe.headers().map().keySet());
  }

  /** Rejecting a foreign member looks like rejecting an id nobody has. */
  private void assertMemberRejected(Model m, Response r, List<String> members) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.body().get("scimType").asText()).isEqualTo("invalidValue");
    String shape = r.body().get("detail").asText().replaceAll(UUID_RE, "ID");
    assertThat(shape).doesNotContain("Group").doesNotContain("User ");
    assertThat(shape).matches("No user or group with id \\[ID(, ID)*\\].*");
  }

  // ---- picking values

  private boolean isOwn(Model m, String id) {
    return m.users.containsKey(id) || m.groups.containsKey(id);
  }

  private List<String> memberPicks(Model m) {
    List<String> out = new ArrayList<>();
    List<String> own = new ArrayList<>(m.users.keySet());
    int n = random.nextInt(3);
    for (int i = 0; i < n && !own.isEmpty(); i++) {
      String id = own.get(random.nextInt(own.size()));
      if (!out.contains(id)) {
        out.add(id);
      }
    }
    if (random.nextInt(3) == 0) {
      String foreign = anyForeignId(m);
      if (foreign != null) {
        out.add(foreign);
      }
    }
    return out;
  }

  private String foreignOrOwnId(Model m, boolean user) {
    Map<String, ?> own = user ? m.users : m.groups;
    int pick = random.nextInt(5);
    if (pick < 2 && !own.isEmpty()) {
      List<String> ids = new ArrayList<>(own.keySet());
      return ids.get(random.nextInt(ids.size()));
    }
    if (pick < 4) {
      Model other = otherThan(m);
      Map<String, ?> theirs = user ? other.users : other.groups;
      if (!theirs.isEmpty()) {
        List<String> ids = new ArrayList<>(theirs.keySet());
        return ids.get(random.nextInt(ids.size()));
      }
    }
    return UUID.randomUUID().toString();
  }

  private String anyForeignId(Model m) {
    Model other = otherThan(m);
    List<String> ids = new ArrayList<>(other.users.keySet());
    ids.addAll(other.groups.keySet());
    return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
  }

  private String anyForeignUserName(Model m) {
    Model other = otherThan(m);
    return other.users.isEmpty() ? null : other.users.values().iterator().next().userName();
  }

  private String anyForeignExternalId(Model m) {
    Model other = otherThan(m);
    return other.users.isEmpty() ? null : other.users.values().iterator().next().externalId();
  }

  private String anyForeignGroupName(Model m) {
    Model other = otherThan(m);
    return other.groups.isEmpty() ? null : other.groups.values().iterator().next().displayName;
  }

  private Model otherThan(Model m) {
    Model other;
    do {
      other = models.get(random.nextInt(models.size()));
    } while (other == m);
    return other;
  }

  private static String memberArray(List<String> ids) {
    StringBuilder b = new StringBuilder();
    for (String id : ids) {
      b.append(b.length() == 0 ? "" : ",").append("{\"value\":\"").append(id).append("\"}");
    }
    return b.toString();
  }

  private static String userJson(String userName, String externalId, boolean active) {
    return "{\"schemas\":[\""
        + USER_SCHEMA
        + "\"],\"userName\":\""
        + userName
        + "\",\"externalId\":\""
        + externalId
        + "\",\"active\":"
        + active
        + ",\"name\":{\"givenName\":\"A\",\"familyName\":\"B\"}}";
  }

  private static String lastSegment(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }
}
