package io.switchboard.connector;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.connector.google.GoogleEndpoints;
import io.switchboard.gateway.Switchboard;
import io.switchboard.store.GroupStore;
import io.switchboard.store.MemberRef;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.GoogleApiDouble;
import io.switchboard.testkit.TestDatabase;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The Google Workspace connector against the Google API double")
class GoogleWorkspaceSyncTest {
  private static final String ADMIN = "admin@example.com";
  private final TestGateway gateway = TestGateway.shared();
  private final Switchboard sb = gateway.switchboard();
  private GoogleApiDouble google;
  private GoogleApiDouble.ServiceAccount account;
  private TestTenant tenant;
  private Connectors connectors;
  private Path secretsDir;

  @BeforeEach
  void setUp() throws Exception {
    google = GoogleApiDouble.start(gateway.vertx());
    account = google.serviceAccount("sync@switchboard-test.iam.gserviceaccount.com");
    google.admin(ADMIN);
    tenant = gateway.newTenant();
    secretsDir = Files.createTempDirectory("sb-connector-secrets");
    connectors = connectors("instance-a", GoogleEndpoints.at(google.url()));
  }

  @AfterEach
  void tearDown() {
    google.close();
  }

  private Connectors connectors(String instance, GoogleEndpoints endpoints) {
    return Connectors.create(
        sb,
        ConnectorSecrets.routing(LocalConnectorSecrets.create(gateway.vertx(), secretsDir), null),
        new Connectors.Options(instance, Duration.ofMinutes(5), Duration.ZERO, 4, 8, endpoints));
  }

  private JsonObject document(String... groups) {
    return new JsonObject()
        .put("kind", "google-workspace")
        .put("serviceAccountKey", account.keyJson().copy())
        .put("adminSubject", ADMIN)
        .put("customerId", "my_customer")
        .put("groups", new JsonArray(List.of((Object[]) groups)));
  }

  private void configure(DirectorySync.RemovalPolicy policy, String... groups) {
    await(
        connectors.configure(
            tenant.id(), SourceKind.GOOGLE_WORKSPACE, 3600, policy, document(groups)));
  }

  private Connectors.SyncReport sync() {
    return await(connectors.sync(tenant.id(), "test"));
  }

  private TenantContext context() {
    return await(sb.contexts().authenticate("Bearer " + tenant.token()));
  }

  private Map<String, StoredResource> users() {
    return await(new UserStore(sb.database(), Clock.systemUTC()).scan(context(), 100_000, true))
        .stream()
        .collect(Collectors.toMap(u -> u.document().path("userName").asText(), u -> u));
  }

  private Map<String, StoredResource> groups() {
    return await(new GroupStore(sb.database(), Clock.systemUTC()).scan(context(), 10_000, true))
        .stream()
        .collect(Collectors.toMap(g -> g.document().path("displayName").asText(), g -> g));
  }

  private Set<String> memberNames(StoredResource group) {
    Map<UUID, String> names = new HashMap<>();
    users().values().forEach(u -> names.put(u.id(), u.document().path("userName").asText()));
    return group.members().stream().map(MemberRef::id).map(names::get).collect(Collectors.toSet());
  }

  private Map<String, Long> events() {
    return await(
        sb.database()
            .inTenant(
                tenant.id(),
                conn ->
                    conn.preparedQuery(
                            "select event_type, count(*) from provisioning_events where tenant_id"
                                + " = $1 group by event_type")
                        .execute(Tuple.of(tenant.id()))
                        .map(
                            rows -> {
                              Map<String, Long> out = new HashMap<>();
                              for (Row r : rows) {
                                out.put(r.getString(0), r.getLong(1));
                              }
                              return out;
                            })));
  }

  /** eng (u1, u2, nested platform {u3}), sales {u4}; u5 in no group. */
  private void seedDirectory() {
    google.addUser("1001", "ada@example.com", "Ada", "Lovelace");
    google.addUser("1002", "grace@example.com", "Grace", "Hopper");
    google.addUser("1003", "linus@example.com", "Linus", "Torvalds");
    google.addUser("1004", "ken@example.com", "Ken", "Thompson");
    google.addUser("1005", "outsider@example.com", "Out", "Sider");
    google.addGroup("g-eng", "eng@example.com", "Engineering");
    google.addGroup("g-platform", "platform@example.com", "Platform");
    google.addGroup("g-sales", "sales@example.com", "Sales");
    google.addMember("g-eng", "1001", "USER");
    google.addMember("g-eng", "1002", "USER");
    google.addMember("g-eng", "g-platform", "GROUP");
    google.addMember("g-platform", "1003", "USER");
    google.addMember("g-platform", "g-eng", "GROUP"); // a cycle: read once
    google.addMember("g-sales", "1004", "USER");
  }

  @Nested
  @DisplayName("a first sync")
  class FirstSync {
    @Test
    @DisplayName("creates the selected groups' users (nested groups expanded) and the groups")
    void createsEverything() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com", "sales@example.com");

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(report.counts().getInteger("usersCreated")).isEqualTo(4);
      assertThat(report.counts().getInteger("groupsCreated")).isEqualTo(2);
      Map<String, StoredResource> users = users();
      assertThat(users)
          .containsOnlyKeys(
              "ada@example.com", "grace@example.com", "linus@example.com", "ken@example.com");
      ObjectNode ada = users.get("ada@example.com").document();
      assertThat(ada.path("externalId").asText()).isEqualTo("1001");
      assertThat(ada.path("name").path("givenName").asText()).isEqualTo("Ada");
      assertThat(ada.path("name").path("familyName").asText()).isEqualTo("Lovelace");
      assertThat(ada.path("displayName").asText()).isEqualTo("Ada Lovelace");
      assertThat(ada.path("emails").get(0).path("value").asText()).isEqualTo("ada@example.com");
      assertThat(ada.path("active").asBoolean()).isTrue();

      Map<String, StoredResource> groups = groups();
      assertThat(groups).containsOnlyKeys("Engineering", "Sales");
      assertThat(memberNames(groups.get("Engineering")))
          .containsExactlyInAnyOrder("ada@example.com", "grace@example.com", "linus@example.com");
      assertThat(memberNames(groups.get("Sales"))).containsExactly("ken@example.com");
      assertThat(events()).containsEntry("user.invited", 4L).containsEntry("group.created", 2L);

      // and what an IdP or a consumer sees over SCIM
      var overScim =
          tenant.scim().get("/Users?filter=" + encode("userName eq \"ada@example.com\""));
      assertThat(overScim.status()).isEqualTo(200);
      assertThat(overScim.body().get("totalResults").asInt()).isEqualTo(1);
      assertThat(overScim.body().at("/Resources/0/externalId").asText()).isEqualTo("1001");
      assertThat(overScim.body().at("/Resources/0/active").asBoolean()).isTrue();
      var eng = tenant.scim().get("/Groups?filter=" + encode("displayName eq \"Engineering\""));
      assertThat(eng.body().at("/Resources/0/members").size()).isEqualTo(3);
      assertThat(eng.body().at("/Resources/0/externalId").asText()).isEqualTo("g-eng");
    }

    @Test
    @DisplayName("a second sync with nothing changed in Google changes nothing")
    void idempotent() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      sync();
      Map<String, Long> before = events();

      Connectors.SyncReport again = sync();

      assertThat(again.succeeded()).isTrue();
      assertThat(again.counts().getInteger("applied")).isZero();
      assertThat(events()).isEqualTo(before);
    }

    @Test
    @DisplayName("reads every page: 1,200 users, users.list at 500 and members.list at 200 a page")
    void paging() {
      google.addGroup("g-all", "all@example.com", "All staff");
      for (int i = 0; i < 1200; i++) {
        google.addUser("u" + i, "user" + i + "@example.com", "User", "N" + i);
        google.addMember("g-all", "u" + i, "USER");
      }
      configure(DirectorySync.RemovalPolicy.SUSPEND, "all@example.com");

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(users()).hasSize(1200);
      assertThat(groups().get("All staff").members()).hasSize(1200);
      var userPages = google.seen("/admin/directory/v1/users");
      assertThat(userPages).hasSize(3);
      assertThat(userPages).allMatch(s -> s.query().contains("maxResults=500"));
      var memberPages = google.seen("/admin/directory/v1/groups/g-all/members");
      assertThat(memberPages).hasSize(6);
      assertThat(memberPages).allMatch(s -> s.query().contains("maxResults=200"));
      assertThat(memberPages.subList(1, 6)).allMatch(s -> s.query().contains("pageToken="));
    }
  }

  @Nested
  @DisplayName("a later sync")
  class Incremental {
    @Test
    @DisplayName("applies a rename, a suspension, a removal from the group and a new member")
    void appliesChanges() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      sync();
      Map<String, Long> before = events();

      google
          .user("1001")
          .getJsonObject("name")
          .put("familyName", "King")
          .put("fullName", "Ada King");
      google.user("1002").put("suspended", true);
      google.removeMember("g-platform", "1003");
      google.addMember("g-eng", "1004", "USER");
      google.renameGroup("g-eng", "Engineering & Research");

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      Map<String, StoredResource> users = users();
      assertThat(users.get("ada@example.com").document().path("name").path("familyName").asText())
          .isEqualTo("King");
      assertThat(users.get("grace@example.com").document().path("active").asBoolean()).isFalse();
      assertThat(users.get("linus@example.com").document().path("active").asBoolean())
          .as("left every selected group: suspended")
          .isFalse();
      assertThat(users.get("ken@example.com").document().path("active").asBoolean()).isTrue();
      Map<String, StoredResource> groups = groups();
      assertThat(groups).containsOnlyKeys("Engineering & Research");
      assertThat(memberNames(groups.get("Engineering & Research")))
          .containsExactlyInAnyOrder("ada@example.com", "grace@example.com", "ken@example.com");
      Map<String, Long> after = events();
      // the directory's lifecycle events, as for an IdP's requests: Ken invited, Ada renamed,
      // Grace (suspended in Google) and Linus (left the group) suspended, memberships moved
      assertThat(after.get("user.invited") - before.get("user.invited")).isEqualTo(1);
      long changed =
          after.entrySet().stream().mapToLong(Map.Entry::getValue).sum()
              - before.values().stream().mapToLong(Long::longValue).sum();
      assertThat(changed).isGreaterThanOrEqualTo(6);
      assertThat(after.getOrDefault("group.member.revoked", 0L)).isGreaterThanOrEqualTo(1);
      assertThat(report.counts().getInteger("usersSuspended")).isEqualTo(1);
      assertThat(report.counts().getInteger("groupsUpdated")).isEqualTo(1);
    }

    @Test
    @DisplayName("removes a member exactly even when the tenant reads PATCH replace additively")
    void exactMembershipWithAdditiveTenant() throws Exception {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      sync();
      ownerUpdate(
          "update tenants set settings = settings || '{\"membersReplace\": \"additive\"}'::jsonb"
              + " where id = '"
              + tenant.id()
              + "'");
      sb.contexts().invalidateTenant(tenant.id());

      google.removeMember("g-eng", "1002");
      google.addMember("g-sales", "1002", "USER");
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com", "sales@example.com");
      sync();

      assertThat(memberNames(groups().get("Engineering")))
          .containsExactlyInAnyOrder("ada@example.com", "linus@example.com");
      assertThat(memberNames(groups().get("Sales")))
          .containsExactlyInAnyOrder("grace@example.com", "ken@example.com");
    }

    @Test
    @DisplayName("deletes a user who left Google when the tenant's policy is delete")
    void deletePolicy() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.DELETE, "eng@example.com");
      sync();

      google.removeUser("1002");
      Connectors.SyncReport report = sync();

      assertThat(report.counts().getInteger("usersDeleted")).isEqualTo(1);
      assertThat(users()).doesNotContainKey("grace@example.com");
      assertThat(events()).containsEntry("user.deleted", 1L);
    }

    @Test
    @DisplayName("deselecting a group deletes its group but leaves users in other groups alone")
    void deselect() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com", "sales@example.com");
      sync();

      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      Connectors.SyncReport report = sync();

      assertThat(groups()).containsOnlyKeys("Engineering");
      assertThat(users().get("ken@example.com").document().path("active").asBoolean()).isFalse();
      assertThat(report.counts().getInteger("groupsDeleted")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("when Google misbehaves")
  class Faults {
    @Test
    @DisplayName("429 with Retry-After is retried after the advertised wait, 500 mid-list too")
    void retries() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      google.failNext(1, 429, 1);
      google.failPage("/users", 0, 500);

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(users()).hasSize(3);
      var seen = google.seen("/admin/directory/v1/groups/eng");
      assertThat(seen.get(0).status()).isEqualTo(429);
      assertThat(seen.get(1).status()).isEqualTo(200);
      assertThat(Duration.between(seen.get(0).at(), seen.get(1).at()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(950));
      var userCalls = google.seen("/admin/directory/v1/users");
      assertThat(userCalls.get(0).status()).isEqualTo(500);
      assertThat(userCalls.get(1).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("a 5xx mid-page on a later page retries that page, not the list")
    void midListPage() {
      google.addGroup("g-all", "all@example.com", "All");
      for (int i = 0; i < 450; i++) {
        google.addUser("u" + i, "user" + i + "@example.com", "U", "N" + i);
        google.addMember("g-all", "u" + i, "USER");
      }
      configure(DirectorySync.RemovalPolicy.SUSPEND, "all@example.com");
      google.failPage("/groups/g-all/members", 1, 503);

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(groups().get("All").members()).hasSize(450);
      var pages = google.seen("/admin/directory/v1/groups/g-all/members");
      assertThat(pages)
          .extracting(GoogleApiDouble.Seen::status)
          .containsExactly(200, 503, 200, 200);
    }

    @Test
    @DisplayName(
        "a Google that keeps failing fails the sync with nothing written; the next resumes")
    void exhaustedThenResumed() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      google.failNext(50, 503, null);

      Connectors.SyncReport failed = sync();

      assertThat(failed.succeeded()).isFalse();
      assertThat(failed.errorCode()).isEqualTo(ConnectorException.SOURCE_UNAVAILABLE);
      assertThat(users()).isEmpty();
      JsonObject status = await(connectors.status(tenant.id()));
      assertThat(status.getString("lastStatus")).isEqualTo("failed");
      assertThat(status.getJsonObject("lastError").getString("code"))
          .isEqualTo("source_unavailable");

      google.clearFaults();
      Connectors.SyncReport resumed = sync();
      assertThat(resumed.succeeded()).isTrue();
      assertThat(users()).hasSize(3);
      assertThat(events()).containsEntry("user.invited", 3L);
    }

    @Test
    @DisplayName("an access token is cached, and an expired one is replaced once")
    void tokenCacheAndExpiry() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      sync();
      sync();
      assertThat(google.tokenExchanges()).isEqualTo(1);

      google.expireTokens();
      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(google.tokenExchanges()).isEqualTo(2);
      assertThat(google.seen()).anyMatch(s -> s.status() == 401);
    }

    @Test
    @DisplayName("an interrupted apply resumes without duplicates (a user created but not marked)")
    void resumesWithoutDuplicates() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      sync();
      // what a crash between a create and its mark leaves: the resource is unmanaged
      await(
          sb.database()
              .inTenant(
                  tenant.id(),
                  conn ->
                      conn.preparedQuery("delete from connector_resources where tenant_id = $1")
                          .execute(Tuple.of(tenant.id()))));

      Connectors.SyncReport report = sync();

      assertThat(report.succeeded()).isTrue();
      assertThat(report.counts().getInteger("usersAdopted")).isEqualTo(3);
      assertThat(users()).hasSize(3);
      assertThat(groups()).hasSize(1);
      assertThat(events()).containsEntry("user.invited", 3L).containsEntry("group.created", 1L);
    }
  }

  @Nested
  @DisplayName("test reports precisely what failed")
  class ConnectionTests {
    private ConnectionCheck test() {
      return await(connectors.test(tenant.id()));
    }

    private void store(JsonObject doc) {
      await(
          connectors.configure(
              tenant.id(),
              SourceKind.GOOGLE_WORKSPACE,
              3600,
              DirectorySync.RemovalPolicy.SUSPEND,
              document()));
      await(
          connectors
              .secrets()
              .write(io.switchboard.session.TenantSessionRef.local(tenant.id()), doc));
    }

    private ConnectionCheck.Step failed(ConnectionCheck check) {
      assertThat(check.ok()).isFalse();
      return check.steps().stream().filter(s -> !s.ok()).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("everything right: key, token, users and each group pass")
    void allGood() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      ConnectionCheck check = test();
      assertThat(check.ok()).isTrue();
      assertThat(check.steps())
          .extracting(ConnectionCheck.Step::name)
          .containsExactly("key", "token", "users", "group:eng@example.com");
    }

    @Test
    @DisplayName("a key that is not a PKCS#8 RSA key: key_format, at set time and at test time")
    void keyFormat() {
      JsonObject bad = document();
      bad.getJsonObject("serviceAccountKey")
          .put("private_key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
      assertThatThrownBy(
              () ->
                  await(
                      connectors.configure(
                          tenant.id(),
                          SourceKind.GOOGLE_WORKSPACE,
                          3600,
                          DirectorySync.RemovalPolicy.SUSPEND,
                          bad)))
          .isInstanceOfSatisfying(
              ConnectorException.class, e -> assertThat(e.code()).isEqualTo("key_format"));
      store(bad);
      ConnectionCheck.Step step = failed(test());
      assertThat(step.name()).isEqualTo("key");
      assertThat(step.code()).isEqualTo("key_format");
      assertThat(step.message()).contains("private_key").doesNotContain("AAAA");
    }

    @Test
    @DisplayName("a key that does not belong to the service account: token_exchange")
    void wrongKey() {
      GoogleApiDouble.ServiceAccount other =
          google.serviceAccount("other@switchboard-test.iam.gserviceaccount.com");
      JsonObject doc = document();
      doc.getJsonObject("serviceAccountKey")
          .put("private_key", other.keyJson().getString("private_key"));
      store(doc);
      ConnectionCheck.Step step = failed(test());
      assertThat(step.name()).isEqualTo("token");
      assertThat(step.code()).isEqualTo("token_exchange");
      assertThat(step.message()).contains("signature");
    }

    @Test
    @DisplayName("scopes not delegated in the Admin console: unauthorized_client")
    void scopes() {
      google.delegate(account.clientId(), List.of(GoogleApiDouble.USER_SCOPE));
      configure(DirectorySync.RemovalPolicy.SUSPEND);
      ConnectionCheck.Step step = failed(test());
      assertThat(step.name()).isEqualTo("token");
      assertThat(step.code()).isEqualTo("unauthorized_client");
      assertThat(step.message())
          .contains("Domain-wide delegation")
          .contains("admin.directory.group.readonly");
    }

    @Test
    @DisplayName("an admin subject Google does not know: invalid_subject")
    void subject() {
      store(document().put("adminSubject", "nobody@example.com"));
      ConnectionCheck.Step step = failed(test());
      assertThat(step.name()).isEqualTo("token");
      assertThat(step.code()).isEqualTo("invalid_subject");
    }

    @Test
    @DisplayName("a selected group that does not exist: group_not_found, naming the group")
    void groupNotFound() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com", "nope@example.com");
      ConnectionCheck check = test();
      ConnectionCheck.Step step = failed(check);
      assertThat(step.name()).isEqualTo("group:nope@example.com");
      assertThat(step.code()).isEqualTo("group_not_found");
      assertThat(check.steps().get(3).ok()).isTrue();
      Connectors.SyncReport report = sync();
      assertThat(report.errorCode()).isEqualTo("group_not_found");
    }
  }

  @Nested
  @DisplayName("scheduling")
  class Scheduling {
    @Test
    @DisplayName("two instances never run one tenant's sync at once (PostgreSQL lease)")
    void lease() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
      google.slow(300);
      Connectors other = connectors("instance-b", GoogleEndpoints.at(google.url()));

      var first = connectors.sync(tenant.id(), "test");
      long deadline = System.currentTimeMillis() + 5_000;
      while (!await(connectors.status(tenant.id())).getBoolean("running")
          && System.currentTimeMillis() < deadline) {
        sleep(20);
      }
      assertThatThrownBy(() -> await(other.sync(tenant.id(), "test")))
          .isInstanceOf(Connectors.SyncBusy.class);
      assertThat(await(first).succeeded()).isTrue();
      google.slow(0);
      assertThat(await(other.sync(tenant.id(), "test")).succeeded()).isTrue();
    }

    @Test
    @DisplayName("the scheduler runs a due tenant, records the outcome and audits it")
    void scheduled() {
      seedDirectory();
      configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");

      // other tests' tenants may be due too; run passes until ours has synced
      long deadline = System.currentTimeMillis() + 20_000;
      JsonObject status = await(connectors.status(tenant.id()));
      while (!"succeeded".equals(status.getString("lastStatus"))
          && System.currentTimeMillis() < deadline) {
        await(connectors.poll());
        sleep(100);
        status = await(connectors.status(tenant.id()));
      }

      assertThat(status.getString("lastStatus")).isEqualTo("succeeded");
      assertThat(status.getJsonObject("lastCounts").getInteger("usersCreated")).isEqualTo(3);
      assertThat(status.getString("nextRunAt")).isNotNull();
      long audits =
          await(
              sb.database()
                  .inTenant(
                      tenant.id(),
                      conn ->
                          conn.preparedQuery(
                                  "select count(*) from audit_log where tenant_id = $1 and action"
                                      + " = 'connector.sync.succeeded'")
                              .execute(Tuple.of(tenant.id()))
                              .map(r -> r.iterator().next().getLong(0))));
      assertThat(audits).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("credentials and people's data never reach the database in readable form")
  void nothingReadableInTheDatabase() throws Exception {
    seedDirectory();
    configure(DirectorySync.RemovalPolicy.SUSPEND, "eng@example.com");
    sync();
    String pem = account.keyJson().getString("private_key");
    String keyFragment = pem.split("\n")[2];

    String dump = dumpAllTables();

    assertThat(dump).contains(tenant.id().toString());
    assertThat(dump)
        .doesNotContain(keyFragment)
        .doesNotContain(account.keyJson().getString("private_key_id"))
        .doesNotContain(account.clientEmail())
        .doesNotContain(ADMIN)
        .doesNotContain("ada@example.com")
        .doesNotContain("Lovelace")
        .doesNotContain("eng@example.com")
        .doesNotContain("Engineering");
    // and the credentials are where they belong: the tenant's secrets store, mode 0600
    Path file = secretsDir.resolve(tenant.id() + ".connector.json");
    assertThat(Files.readString(file)).contains(keyFragment);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  private static void ownerUpdate(String sql) throws Exception {
    var url = TestDatabase.get().ownerUrl();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(),
                url.user(),
                url.password());
        Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  private static String dumpAllTables() throws Exception {
    var url = TestDatabase.get().ownerUrl();
    StringBuilder out = new StringBuilder();
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + url.host() + ":" + url.port() + "/" + url.database(),
                url.user(),
                url.password());
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("select t::text from \"" + t + "\" t")) {
          while (rs.next()) {
            out.append(t).append(": ").append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  private static String encode(String filter) {
    return java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
