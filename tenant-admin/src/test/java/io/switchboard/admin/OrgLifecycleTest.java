package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.GroupStore;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContexts;
import io.switchboard.testkit.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin: an organisation's life, from creation to crypto-shred")
class OrgLifecycleTest {
  private final TestAdmin admin = TestAdmin.shared();
  private final TestGateway gateway = TestGateway.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());
  private final TenantContexts contexts = gateway.switchboard().contexts();

  private String newOrg(String extra) {
    String slug = "lc-" + UUID.randomUUID().toString().substring(0, 8);
    var r =
        fleet.post(
            "/orgs",
            "{\"name\":\"Lifecycle " + slug + "\",\"slug\":\"" + slug + "\"" + extra + "}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private JsonNode issue(String orgId) {
    var r = fleet.post("/orgs/" + orgId + "/tokens", "{\"label\":\"entra\"}");
    assertThat(r.status()).as(r.raw()).isEqualTo(201);
    return r.body();
  }

  private boolean authenticates(TenantContexts on, String token) {
    try {
      await(on.authenticate("Bearer " + token));
      return true;
    } catch (ScimException e) {
      assertThat(e.status()).isEqualTo(401);
      return false;
    }
  }

  @Nested
  @DisplayName("update")
  class Update {
    @Test
    @DisplayName("name, IdP profile and settings change; settings merge; the row and audit show it")
    void update() {
      String id = newOrg(",\"idpProfile\":\"okta\"");
      var r =
          fleet.patch(
              "/orgs/" + id,
              "{\"name\":\"Renamed\",\"idpProfile\":\"entra\","
                  + "\"settings\":{\"rateLimit\":{\"requestsPerSecond\":5,\"burst\":10}}}");
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      assertThat(r.body().get("name").asText()).isEqualTo("Renamed");
      assertThat(r.body().get("idpProfile").asText()).isEqualTo("entra");
      assertThat(r.body().at("/settings/rateLimit/requestsPerSecond").asInt()).isEqualTo(5);

      var second =
          fleet.patch("/orgs/" + id, "{\"settings\":{\"hardDelete\":\"erase\",\"concurrency\":4}}");
      assertThat(second.status()).as(second.raw()).isEqualTo(200);
      assertThat(second.body().at("/settings/rateLimit/burst").asInt())
          .as("earlier settings kept")
          .isEqualTo(10);
      assertThat(second.body().at("/settings/hardDelete").asText()).isEqualTo("erase");
      assertThat(fleet.get("/orgs/" + id + "/settings").body().get("concurrency").asInt())
          .isEqualTo(4);
      assertThat(
              Owner.value(
                  "select settings->>'hardDelete' from tenants where id = ?", UUID.fromString(id)))
          .isEqualTo("erase");
      assertThat(Owner.value("select idp_profile from tenants where id = ?", UUID.fromString(id)))
          .isEqualTo("entra");
      var audit = fleet.get("/orgs/" + id + "/audit").body().get("items");
      assertThat(audit.get(0).get("action").asText()).isEqualTo("admin.org.update");
      assertThat(audit.get(0).at("/details/settings").toString()).contains("hardDelete");
    }

    @Test
    @DisplayName(
        "invalid settings, unknown fields and unknown IdP profiles are 400 validation_failed")
    void invalid() {
      String id = newOrg("");
      var interval =
          fleet.patch(
              "/orgs/" + id,
              "{\"settings\":{\"confirmation\":{\"mode\":\"interval\",\"intervalSeconds\":10}}}");
      assertThat(interval.status()).isEqualTo(400);
      assertThat(interval.body().at("/error/code").asText()).isEqualTo("validation_failed");
      assertThat(interval.body().at("/error/message").asText()).contains("intervalSeconds");

      var burst =
          fleet.patch(
              "/orgs/" + id,
              "{\"settings\":{\"rateLimit\":{\"requestsPerSecond\":50,\"burst\":10}}}");
      assertThat(burst.status()).isEqualTo(400);
      assertThat(burst.body().at("/error/message").asText()).contains("burst");

      assertThat(fleet.patch("/orgs/" + id, "{\"colour\":\"blue\"}").status()).isEqualTo(400);
      assertThat(fleet.patch("/orgs/" + id, "{\"idpProfile\":\"myspace\"}").status())
          .isEqualTo(400);
      assertThat(fleet.patch("/orgs/" + id, "{}").status()).isEqualTo(400);
      assertThat(fleet.get("/orgs/" + id).body().at("/settings/confirmation/mode").asText())
          .as("nothing changed")
          .isEqualTo("immediate");
    }

    @Test
    @DisplayName("a Vault connection is stored with its secret sealed and never shown")
    void vault() {
      String id = newOrg("");
      String secretId = "s3cr3t-" + UUID.randomUUID();
      var r =
          fleet.patch(
              "/orgs/" + id,
              "{\"vault\":{\"address\":\"https://vault.acme.example:8200\",\"namespace\":\"acme\","
                  + "\"mount\":\"secret\",\"path\":\"switchboard/session\","
                  + "\"auth\":{\"method\":\"approle\",\"roleId\":\"role-1\",\"secretId\":\""
                  + secretId
                  + "\"}}}");
      assertThat(r.status()).as(r.raw()).isEqualTo(200);
      assertThat(r.raw()).doesNotContain(secretId);
      assertThat(r.body().at("/vault/auth/secretIdSet").asBoolean()).isTrue();
      assertThat(r.body().at("/vault/auth/roleId").asText()).isEqualTo("role-1");
      String stored =
          String.valueOf(
              Owner.value("select vault::text from tenants where id = ?", UUID.fromString(id)));
      assertThat(stored).doesNotContain(secretId).contains("secretIdSealed");
      assertThat(fleet.get("/orgs/" + id + "/audit").raw()).doesNotContain(secretId);

      var insecure =
          fleet.patch(
              "/orgs/" + id,
              "{\"vault\":{\"address\":\"http://vault.acme.example\",\"mount\":\"secret\","
                  + "\"path\":\"p\",\"auth\":{\"method\":\"jwt\",\"role\":\"r\"}}}");
      assertThat(insecure.status()).isEqualTo(400);
    }
  }

  @Nested
  @DisplayName("list")
  class ListOrgs {
    @Test
    @DisplayName("pages follow nextCursor without repeats, and filters by status and IdP profile")
    void pagedAndFiltered() {
      List<String> mine = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        mine.add(newOrg(",\"idpProfile\":\"rippling\""));
      }
      assertThat(fleet.post("/orgs/" + mine.get(1) + "/suspend", null).status()).isEqualTo(200);

      Set<String> seen = new HashSet<>();
      String cursor = null;
      int pages = 0;
      do {
        var page = fleet.get("/orgs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
        for (JsonNode org : page.body().get("items")) {
          assertThat(seen.add(org.get("id").asText())).as("no org twice").isTrue();
        }
        cursor =
            page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
        pages++;
      } while (cursor != null && pages < 10_000);
      assertThat(seen).containsAll(mine);

      var suspended = fleet.get("/orgs?status=suspended&idpProfile=rippling&limit=200");
      List<String> ids = suspended.body().get("items").findValuesAsText("id");
      assertThat(ids).contains(mine.get(1)).doesNotContain(mine.get(0), mine.get(2));
      assertThat(suspended.body().get("items").findValuesAsText("status"))
          .containsOnly("suspended");

      assertThat(fleet.get("/orgs?status=gone").status()).isEqualTo(400);
      assertThat(fleet.get("/orgs?limit=0").status()).isEqualTo(400);
      assertThat(fleet.get("/orgs?cursor=bogus").body().at("/error/code").asText())
          .isEqualTo("validation_failed");
    }
  }

  @Nested
  @DisplayName("suspend and resume")
  class Suspend {
    @Test
    @DisplayName("a suspended organisation's tokens are 401 at once; resuming restores them")
    void suspendResume() {
      String id = newOrg("");
      String token = issue(id).get("token").asText();
      assertThat(authenticates(contexts, token)).isTrue();

      var suspended = fleet.post("/orgs/" + id + "/suspend", null);
      assertThat(suspended.status()).as(suspended.raw()).isEqualTo(200);
      assertThat(suspended.body().get("status").asText()).isEqualTo("suspended");
      assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(contexts, token)))
          .as("rejected within 1 s")
          .isTrue();

      assertThat(fleet.post("/orgs/" + id + "/resume", null).body().get("status").asText())
          .isEqualTo("active");
      assertThat(Eventually.within(Duration.ofSeconds(1), () -> authenticates(contexts, token)))
          .isTrue();
      assertThat(fleet.get("/orgs/" + id + "/audit").body().get("items").findValuesAsText("action"))
          .startsWith("admin.org.resume", "admin.org.suspend");
    }
  }

  @Nested
  @DisplayName("delete")
  class Delete {
    @Test
    @DisplayName("crypto-shred: tokens revoked and session gone at once, every row removed after")
    void cryptoShred() throws Exception {
      String id = newOrg("");
      UUID org = UUID.fromString(id);
      String token = issue(id).get("token").asText();
      issue(id);
      var tenant = await(contexts.authenticate("Bearer " + token));
      WriteContext write = new WriteContext(tenant, "req-" + UUID.randomUUID());
      UserStore users = new UserStore(gateway.switchboard().database(), Clock.systemUTC());
      GroupStore groups = new GroupStore(gateway.switchboard().database(), Clock.systemUTC());
      ObjectNode user = ScimJson.object();
      user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
      user.put("userName", "ada@example.com");
      UUID userId = await(users.create(write, user)).id();
      ObjectNode group = ScimJson.object();
      group.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
      group.put("displayName", "Engineering");
      await(groups.create(write, group, List.of(userId)));
      gateway.switchboard().activity().record(org, 201, true);
      await(gateway.switchboard().activity().flush(gateway.switchboard().database()));
      Path session = findSession(org);
      assertThat(session).as("local session file").isNotNull();

      var deleted = fleet.delete("/orgs/" + id);
      assertThat(deleted.status()).as(deleted.raw()).isEqualTo(202);
      assertThat(deleted.body().at("/deleted/tokensRevoked").asInt()).isEqualTo(2);
      assertThat(deleted.body().at("/deleted/sessionDeleted").asBoolean()).isTrue();
      assertThat(deleted.body().at("/removing/users").asInt()).isEqualTo(1);
      assertThat(deleted.body().at("/removing/groups").asInt()).isEqualTo(1);
      assertThat(deleted.body().at("/removing/memberships").asInt()).isEqualTo(1);
      assertThat(Files.exists(session)).as("session deleted from its store").isFalse();
      assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(contexts, token)))
          .isTrue();

      assertThat(
              Eventually.within(
                  Duration.ofSeconds(10), () -> Owner.count("tenants", "id", org) == 0))
          .as("tenant row removed in the background")
          .isTrue();
      for (String table :
          List.of(
              "scim_users",
              "scim_user_emails",
              "scim_groups",
              "group_members",
              "provisioning_events",
              "audit_log",
              "bearer_tokens",
              "tenant_activity")) {
        assertThat(Owner.count(table, org)).as(table).isZero();
      }
      assertThat(Owner.value("select completed_at from tenant_deletions where id = ?", org))
          .isNotNull();
      assertThat(
              String.valueOf(
                  Owner.value("select requested_by from tenant_deletions where id = ?", org)))
          .startsWith("admin:key:");
      assertThat(
              Owner.value(
                  "select count(*) from operator_audit where action = 'admin.org.delete'"
                      + " and target = ?",
                  "Org/" + id))
          .isEqualTo(1L);
      assertThat(fleet.get("/orgs/" + id).status()).isEqualTo(404);
      assertThat(fleet.delete("/orgs/" + id).status()).isEqualTo(404);
      assertThat(authenticates(contexts, token)).isFalse();
    }

    @Test
    @DisplayName("only fleet keys delete, suspend or resume")
    void fleetOnly() {
      String id = newOrg("");
      var key = await(admin.keys().create("org:" + id, "self-service"));
      AdminHttp scoped = new AdminHttp(admin.url(), key.token());
      assertThat(scoped.delete("/orgs/" + id).status()).isEqualTo(403);
      assertThat(scoped.post("/orgs/" + id + "/suspend", null).status()).isEqualTo(403);
      assertThat(scoped.patch("/orgs/" + id, "{\"idpProfile\":\"okta\"}").status()).isEqualTo(403);
      assertThat(scoped.patch("/orgs/" + id, "{\"settings\":{\"concurrency\":3}}").status())
          .as("customer self-service may change its settings")
          .isEqualTo(200);
      assertThat(fleet.get("/orgs/" + id).body().get("status").asText()).isEqualTo("active");
    }
  }

  private static Path findSession(UUID org) throws Exception {
    try (var files = Files.walk(TestGateway.sharedDataDir())) {
      return files
          .filter(p -> p.getFileName().toString().contains(org.toString()))
          .filter(Files::isRegularFile)
          .findFirst()
          .orElse(null);
    }
  }

  @Nested
  @DisplayName("tokens")
  class Tokens {
    @Test
    @DisplayName("list shows ids, dates, last use and status, never a secret")
    void list() {
      String id = newOrg("");
      JsonNode a = issue(id);
      JsonNode b = issue(id);
      assertThat(authenticates(contexts, a.get("token").asText())).isTrue();
      fleet.delete("/orgs/" + id + "/tokens/" + b.get("id").asText());
      var list = fleet.get("/orgs/" + id + "/tokens");
      assertThat(list.status()).isEqualTo(200);
      assertThat(list.raw())
          .doesNotContain(a.get("token").asText())
          .doesNotContain(b.get("token").asText())
          .doesNotContain("\"token\"");
      JsonNode items = list.body().get("items");
      assertThat(items).hasSize(2);
      JsonNode first = find(items, a.get("id").asText());
      assertThat(first.get("status").asText()).isEqualTo("active");
      assertThat(first.get("label").asText()).isEqualTo("entra");
      assertThat(first.get("createdAt").asText()).isNotBlank();
      assertThat(
              Eventually.within(
                  Duration.ofSeconds(2),
                  () ->
                      !find(
                              fleet.get("/orgs/" + id + "/tokens").body().get("items"),
                              a.get("id").asText())
                          .get("lastUsedAt")
                          .isNull()))
          .as("last use recorded")
          .isTrue();
      assertThat(find(items, b.get("id").asText()).get("status").asText()).isEqualTo("revoked");
    }

    @Test
    @DisplayName("rotation: the new token works at once, the old one until the overlap ends")
    void rotate() {
      String id = newOrg("");
      JsonNode old = issue(id);
      String oldToken = old.get("token").asText();
      Instant before = Instant.now();
      var rotated =
          fleet.post(
              "/orgs/" + id + "/tokens/" + old.get("id").asText() + "/rotate",
              "{\"overlapSeconds\":3600}");
      assertThat(rotated.status()).as(rotated.raw()).isEqualTo(201);
      String newToken = rotated.body().get("token").asText();
      assertThat(newToken).startsWith("sbt_").isNotEqualTo(oldToken);
      assertThat(rotated.body().get("replaces").asText()).isEqualTo(old.get("id").asText());
      Instant oldExpiry = Instant.parse(rotated.body().get("oldExpiresAt").asText());
      assertThat(oldExpiry).isBetween(before.plusSeconds(3590), Instant.now().plusSeconds(3610));
      assertThat(authenticates(contexts, newToken)).isTrue();
      assertThat(authenticates(contexts, oldToken)).as("old token works in the overlap").isTrue();

      JsonNode listed =
          find(fleet.get("/orgs/" + id + "/tokens").body().get("items"), old.get("id").asText());
      assertThat(listed.get("status").asText()).isEqualTo("expiring");
      assertThat(listed.get("replacedBy").asText()).isEqualTo(rotated.body().get("id").asText());
      assertThat(Instant.parse(listed.get("expiresAt").asText())).isEqualTo(oldExpiry);

      // an overlap of zero ends the old token now
      var hard =
          fleet.post(
              "/orgs/" + id + "/tokens/" + rotated.body().get("id").asText() + "/rotate",
              "{\"overlapSeconds\":0}");
      assertThat(hard.status()).isEqualTo(201);
      assertThat(Eventually.within(Duration.ofSeconds(1), () -> !authenticates(contexts, newToken)))
          .isTrue();
      assertThat(authenticates(contexts, hard.body().get("token").asText())).isTrue();
      assertThat(
              fleet
                  .post(
                      "/orgs/" + id + "/tokens/" + rotated.body().get("id").asText() + "/rotate",
                      "{}")
                  .status())
          .as("an expired token cannot be rotated")
          .isEqualTo(404);
      assertThat(
              fleet
                  .post(
                      "/orgs/" + id + "/tokens/" + old.get("id").asText() + "/rotate",
                      "{\"overlapSeconds\":-1}")
                  .status())
          .isEqualTo(400);
    }

    private JsonNode find(JsonNode items, String id) {
      for (JsonNode item : items) {
        if (item.get("id").asText().equals(id)) {
          return item;
        }
      }
      throw new AssertionError("no token " + id + " in " + items);
    }
  }

  @Nested
  @DisplayName("audit")
  class Audit {
    @Test
    @DisplayName("every admin action is a row with the operator as actor, newest first, paged")
    void trail() {
      String id = newOrg("");
      JsonNode token = issue(id);
      fleet.post("/orgs/" + id + "/tokens/" + token.get("id").asText() + "/rotate", "{}");
      fleet.patch("/orgs/" + id, "{\"name\":\"Audited\"}");
      fleet.post("/orgs/" + id + "/suspend", null);

      List<String> actions = new ArrayList<>();
      String cursor = null;
      do {
        var page =
            fleet.get(
                "/orgs/" + id + "/audit?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw()).doesNotContain(token.get("token").asText());
        for (JsonNode e : page.body().get("items")) {
          actions.add(e.get("action").asText());
          assertThat(e.get("actor").asText()).startsWith("admin:key:");
          assertThat(e.get("requestId").asText()).isNotBlank();
        }
        cursor =
            page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
      } while (cursor != null);
      assertThat(actions)
          .containsExactly(
              "admin.org.suspend",
              "admin.org.update",
              "admin.token.rotate",
              "admin.token.issue",
              "admin.org.create");
      assertThat(Owner.count("audit_log", UUID.fromString(id))).isEqualTo(5);
    }

    @Test
    @DisplayName(
        "onboarding, provisioning, rotation and suspension read as one story, no PII in it")
    void story() {
      String id = newOrg(",\"idpProfile\":\"entra\"");
      JsonNode token = issue(id);
      var tenant = await(contexts.authenticate("Bearer " + token.get("token").asText()));
      ObjectNode user = ScimJson.object();
      user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
      user.put("userName", "grace.hopper@example.com");
      await(
          new UserStore(gateway.switchboard().database(), Clock.systemUTC())
              .create(new WriteContext(tenant, "idp-req-00000001"), user));
      fleet.post("/orgs/" + id + "/tokens/" + token.get("id").asText() + "/rotate", "{}");
      fleet.post("/orgs/" + id + "/suspend", null);

      var audit = fleet.get("/orgs/" + id + "/audit");
      assertThat(audit.raw())
          .doesNotContain("grace.hopper")
          .doesNotContain(token.get("token").asText());
      JsonNode items = audit.body().get("items");
      assertThat(items.findValuesAsText("action"))
          .hasSize(5)
          .startsWith("admin.org.suspend", "admin.token.rotate")
          .endsWith("admin.token.issue", "admin.org.create");
      JsonNode provisioning = items.get(2);
      assertThat(provisioning.get("action").asText()).startsWith("scim.");
      assertThat(provisioning.get("actor").asText())
          .isEqualTo("scim:token:" + token.get("id").asText());
      assertThat(provisioning.get("requestId").asText()).isEqualTo("idp-req-00000001");
      assertThat(provisioning.get("target").asText()).startsWith("User/");
    }
  }
}
