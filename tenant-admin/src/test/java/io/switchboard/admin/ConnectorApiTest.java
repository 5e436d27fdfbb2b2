package io.switchboard.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.cli.SwitchboardCli;
import io.switchboard.connector.ConnectorSecrets;
import io.switchboard.connector.Connectors;
import io.switchboard.connector.LocalConnectorSecrets;
import io.switchboard.connector.google.GoogleEndpoints;
import io.switchboard.gateway.Switchboard;
import io.switchboard.testkit.GoogleApiDouble;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin and the CLI drive an organisation's Google Workspace connector")
class ConnectorApiTest {
  private static final String ADMIN = "admin@example.com";
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());
  private final Switchboard sb = TestGateway.shared().switchboard();
  private GoogleApiDouble google;
  private GoogleApiDouble.ServiceAccount account;
  private String orgId;

  @BeforeEach
  void setUp() {
    google = GoogleApiDouble.start(sb.vertx());
    account = google.serviceAccount("sync@switchboard-test.iam.gserviceaccount.com");
    google.admin(ADMIN);
    google.addUser("1001", "ada@example.com", "Ada", "Lovelace");
    google.addUser("1002", "grace@example.com", "Grace", "Hopper");
    google.addGroup("g-eng", "eng@example.com", "Engineering");
    google.addMember("g-eng", "1001", "USER");
    google.addMember("g-eng", "1002", "USER");
    // the admin API's connectors, pointed at the double; secrets beside the local sessions
    Connectors.install(
        sb,
        Connectors.create(
            sb,
            ConnectorSecrets.routing(
                LocalConnectorSecrets.create(sb.vertx(), sb.config().dataDir().resolve("sessions")),
                null),
            new Connectors.Options(
                "admin-test",
                Duration.ofMinutes(5),
                Duration.ZERO,
                4,
                8,
                GoogleEndpoints.at(google.url()))));
    orgId =
        fleet
            .post(
                "/orgs",
                "{\"name\":\"Google Org\",\"slug\":\"g-"
                    + UUID.randomUUID().toString().substring(0, 8)
                    + "\"}")
            .body()
            .get("id")
            .asText();
  }

  @AfterEach
  void tearDown() {
    google.close();
  }

  private JsonObject settings(String... groups) {
    return new JsonObject()
        .put("serviceAccountKey", account.keyJson().encode())
        .put("adminSubject", ADMIN)
        .put("customerId", "my_customer")
        .put("groups", new JsonArray(List.of((Object[]) groups)));
  }

  private ScimClient.Response put(JsonObject settings) {
    return fleet.send(
        "PUT",
        "/orgs/" + orgId + "/connector",
        new JsonObject()
            .put("source", "google-workspace")
            .put("intervalSeconds", 900)
            .put("removalPolicy", "suspend")
            .put("settings", settings)
            .encode(),
        "application/json");
  }

  @Test
  @DisplayName("PUT stores the connector and never answers with key material; GET shows the same")
  void setAndGet() {
    String keyLine = account.keyJson().getString("private_key").split("\n")[2];
    var set = put(settings("eng@example.com"));
    assertThat(set.status()).as(set.raw()).isEqualTo(200);
    assertThat(set.body().get("source").asText()).isEqualTo("google-workspace");
    assertThat(set.body().get("intervalSeconds").asInt()).isEqualTo(900);
    assertThat(set.body().at("/settings/serviceAccount/clientEmail").asText())
        .isEqualTo(account.clientEmail());
    assertThat(set.raw()).doesNotContain(keyLine).doesNotContain("PRIVATE KEY");

    var get = fleet.get("/orgs/" + orgId + "/connector");
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.body().at("/settings/groups/0").asText()).isEqualTo("eng@example.com");
    assertThat(get.raw()).doesNotContain(keyLine);
    assertThat(fleet.get("/orgs/" + orgId + "/connector/status").body().get("lastStatus").asText())
        .isEqualTo("never");
  }

  @Test
  @DisplayName("a malformed key is refused with key_format before anything is stored")
  void badKey() {
    var r = put(settings().put("serviceAccountKey", "{\"type\":\"authorized_user\"}"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body().at("/error/code").asText()).isEqualTo("key_format");
    assertThat(fleet.get("/orgs/" + orgId + "/connector").body().get("source").asText())
        .isEqualTo("scim-push");
  }

  @Test
  @DisplayName("test names the failing step: scopes not delegated → unauthorized_client")
  void testReportsScopes() {
    put(settings("eng@example.com"));
    assertThat(fleet.post("/orgs/" + orgId + "/connector/test", "{}").body().get("ok").asBoolean())
        .isTrue();

    google.delegate(account.clientId(), List.of(GoogleApiDouble.USER_SCOPE));
    var r = fleet.post("/orgs/" + orgId + "/connector/test", "{}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body().get("ok").asBoolean()).isFalse();
    assertThat(r.body().get("failedStep").asText()).isEqualTo("token");
    assertThat(r.body().get("code").asText()).isEqualTo("unauthorized_client");
  }

  @Test
  @DisplayName("sync runs now and the status shows what it applied")
  void syncAndStatus() {
    put(settings("eng@example.com"));
    var r = fleet.post("/orgs/" + orgId + "/connector/sync", "{}");
    assertThat(r.status()).as(r.raw()).isEqualTo(200);
    assertThat(r.body().get("status").asText()).isEqualTo("succeeded");
    assertThat(r.body().at("/counts/usersCreated").asInt()).isEqualTo(2);
    assertThat(r.body().at("/counts/groupsCreated").asInt()).isEqualTo(1);

    JsonNode status = fleet.get("/orgs/" + orgId + "/connector/status").body();
    assertThat(status.get("lastStatus").asText()).isEqualTo("succeeded");
    assertThat(status.at("/lastCounts/usersCreated").asInt()).isEqualTo(2);
    assertThat(status.get("lastDurationMs").asLong()).isGreaterThanOrEqualTo(0);

    JsonNode fleetView = fleet.get("/fleet/status").body();
    JsonNode mine = null;
    for (JsonNode org : fleetView.get("orgs")) {
      if (org.get("id").asText().equals(orgId)) {
        mine = org;
      }
    }
    assertThat(mine).as("the organisation is in the fleet status").isNotNull();
    assertThat(mine.get("source").asText()).isEqualTo("google-workspace");
    assertThat(mine.at("/lastSync/status").asText()).isEqualTo("succeeded");
    assertThat(mine.at("/lastSync/applied").asInt()).isEqualTo(5); // 2 users, 1 group, 2 members

    google.failNext(20, 503, null);
    var failed = fleet.post("/orgs/" + orgId + "/connector/sync", "{}");
    assertThat(failed.body().at("/error/code").asText()).isEqualTo("source_unavailable");
    JsonNode after = fleet.get("/fleet/status").body();
    assertThat(after.get("needsAttention").toString()).contains(orgId);
    for (JsonNode org : after.get("orgs")) {
      if (org.get("id").asText().equals(orgId)) {
        assertThat(org.get("attention").toString()).contains("sync_failed");
        assertThat(org.at("/lastSync/errorCode").asText()).isEqualTo("source_unavailable");
      }
    }
  }

  @Test
  @DisplayName("the CLI sets, tests, syncs and reports; the key file's content is never printed")
  void cli() throws Exception {
    Path keyFile = Files.createTempFile("sa-key", ".json");
    Files.writeString(keyFile, account.keyJson().encode());
    String keyLine = account.keyJson().getString("private_key").split("\n")[2];

    Run set =
        run(
            with(
                "org",
                "connector",
                "set",
                "--org",
                orgId,
                "--key-file",
                keyFile.toString(),
                "--admin-subject",
                ADMIN,
                "--group",
                "eng@example.com",
                "--interval",
                "600"));
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("google-workspace").doesNotContain(keyLine);

    Run test = run(with("org", "connector", "test", "--org", orgId));
    assertThat(test.exit()).as(test.out() + test.err()).isZero();
    assertThat(test.out()).contains("ok   token").contains("group:eng@example.com");

    Run sync = run(with("org", "connector", "sync", "--org", orgId, "-o", "json"));
    assertThat(sync.exit()).as(sync.out() + sync.err()).isZero();
    // the in-process server logs to the same stdout; the CLI's answer is the JSON line
    String json = sync.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse("");
    assertThat(new ObjectMapper().readTree(json).at("/counts/usersCreated").asInt()).isEqualTo(2);

    Run status = run(with("org", "connector", "status", "--org", orgId));
    assertThat(status.exit()).isZero();
    assertThat(status.out()).contains("succeeded");

    google.delegate(account.clientId(), List.of());
    Run failing = run(with("org", "connector", "test", "--org", orgId));
    assertThat(failing.exit()).isEqualTo(SwitchboardCli.FAILED);
    assertThat(failing.out()).contains("FAIL").contains("[unauthorized_client]");
  }

  record Run(int exit, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = SwitchboardCli.run(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private String[] with(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = admin.url();
    all[args.length + 2] = "--admin-token";
    all[args.length + 3] = admin.fleetToken();
    return all;
  }
}
