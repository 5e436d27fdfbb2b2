package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.admin.TestAdmin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The switchboard CLI for day-two operations: update, suspend, rotate, keys, status")
class CliOperationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final TestAdmin admin = TestAdmin.shared();

  record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  private static Run run(String... args) {
    synchronized (CliTest.class) {
      PrintStream out = System.out;
      PrintStream err = System.err;
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      try {
        int code = SwitchboardCli.run(args);
        return new Run(
            code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
      } finally {
        System.setOut(out);
        System.setErr(err);
      }
    }
  }

  private Run as(String key, String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--admin-url";
    all[args.length + 1] = admin.url();
    all[args.length + 2] = "--admin-token";
    all[args.length + 3] = key;
    return run(all);
  }

  private Run fleet(String... args) {
    return as(admin.fleetToken(), args);
  }

  private String org() {
    Run created =
        fleet(
            "org",
            "create",
            "--name",
            "Ops",
            "--slug",
            "ops-" + UUID.randomUUID().toString().substring(0, 8),
            "-o",
            "json");
    assertThat(created.exit()).as(created.err()).isZero();
    return created.json().get("id").asText();
  }

  @Test
  @DisplayName("org update sets settings from flags; bad values exit 1 with the API's message")
  void update() {
    String id = org();
    Run updated =
        fleet(
            "org",
            "update",
            id,
            "--name",
            "Ops Renamed",
            "--idp",
            "okta",
            "--rate-limit",
            "20",
            "--burst",
            "40",
            "--concurrency",
            "5",
            "--confirmation",
            "60",
            "--hard-delete",
            "erase",
            "--managed-groups",
            "Eng, Sales",
            "-o",
            "json");
    assertThat(updated.exit()).as(updated.err()).isZero();
    JsonNode org = updated.json();
    assertThat(org.get("name").asText()).isEqualTo("Ops Renamed");
    assertThat(org.get("idpProfile").asText()).isEqualTo("okta");
    assertThat(org.at("/settings/rateLimit/burst").asInt()).isEqualTo(40);
    assertThat(org.at("/settings/confirmation/intervalSeconds").asInt()).isEqualTo(60);
    assertThat(org.at("/settings/managedGroups/groups").toString())
        .isEqualTo("[\"Eng\",\"Sales\"]");

    Run bad = fleet("org", "update", id, "--confirmation", "5");
    assertThat(bad.exit()).isEqualTo(SwitchboardCli.FAILED);
    assertThat(bad.err())
        .contains("Invalid body: /settings/confirmation/intervalSeconds: 5 is less than 30.")
        .contains("validation_failed")
        .doesNotContain("subschema");
    assertThat(fleet("org", "update", id).exit())
        .as("nothing to change")
        .isEqualTo(SwitchboardCli.USAGE);
  }

  @Test
  @DisplayName("org suspend, resume, list --status and delete --yes")
  void lifecycle() {
    String id = org();
    Run suspended = fleet("org", "suspend", id);
    assertThat(suspended.exit()).as(suspended.err()).isZero();
    assertThat(suspended.out()).contains(id).contains("suspended");
    Run list = fleet("org", "list", "--status", "suspended", "-o", "json");
    assertThat(list.json().get("items").findValuesAsText("id")).contains(id);
    assertThat(fleet("org", "resume", id).out()).contains("active");

    assertThat(fleet("org", "delete", id).exit()).as("needs --yes").isEqualTo(SwitchboardCli.USAGE);
    Run deleted = fleet("org", "delete", id, "--yes", "-o", "json");
    assertThat(deleted.exit()).as(deleted.err()).isZero();
    assertThat(deleted.json().at("/deleted/sessionDeleted").asBoolean()).isTrue();
    assertThat(fleet("org", "delete", id, "--yes").exit()).isEqualTo(SwitchboardCli.FAILED);
  }

  @Test
  @DisplayName(
      "token list never prints a secret; token rotate prints the new one and the old expiry")
  void tokens() {
    String id = org();
    Run issued = fleet("token", "issue", "--org", id, "--label", "entra", "-o", "json");
    String tokenId = issued.json().get("id").asText();
    String secret = issued.json().get("token").asText();

    Run rotated = fleet("token", "rotate", "--org", id, "--token-id", tokenId, "--overlap", "2h");
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("sbt_").contains(tokenId).contains("shown once");

    Run list = fleet("token", "list", "--org", id);
    assertThat(list.exit()).isZero();
    assertThat(list.out()).startsWith("TOKEN ID").contains(tokenId).contains("expiring");
    assertThat(list.out()).doesNotContain(secret).doesNotContain("sbt_");
    Run json = fleet("token", "list", "--org", id, "-o", "json");
    assertThat(json.json().get("items")).hasSize(2);

    assertThat(
            fleet("token", "rotate", "--org", id, "--token-id", tokenId, "--overlap", "soon")
                .exit())
        .isEqualTo(SwitchboardCli.USAGE);
  }

  @Test
  @DisplayName("admin-key create, list and revoke; the revoked key then exits 3")
  void adminKeys() {
    String id = org();
    Run created =
        fleet("admin-key", "create", "--scope", "org:" + id, "--label", "acme", "-o", "json");
    assertThat(created.exit()).as(created.err()).isZero();
    String key = created.json().get("token").asText();
    String keyId = created.json().get("id").asText();

    assertThat(as(key, "org", "show", id).exit()).isZero();
    assertThat(as(key, "admin-key", "list").exit())
        .as("an org key is refused fleet routes")
        .isEqualTo(SwitchboardCli.UNREACHABLE);
    Run list = fleet("admin-key", "list");
    assertThat(list.out()).contains(keyId).contains("org:" + id).doesNotContain(key);

    assertThat(fleet("admin-key", "revoke", keyId).exit()).isZero();
    Run fleetAudit = fleet("audit", "--limit", "5");
    assertThat(fleetAudit.exit()).as(fleetAudit.err()).isZero();
    assertThat(fleetAudit.out()).contains("admin.key.revoke").contains("AdminKey/" + keyId);
    assertThat(as(key, "org", "show", id).exit()).isEqualTo(SwitchboardCli.UNREACHABLE);
  }

  @Test
  @DisplayName(
      "status (and fleet status) print the fleet; --check exits 1 when one needs attention")
  void status() {
    String id = org();
    fleet("org", "suspend", id);
    Run table = fleet("status");
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).startsWith("organisations: ").contains(id).contains("suspended");
    Run json = fleet("fleet", "status", "-o", "json");
    assertThat(json.json().get("needsAttention").toString()).contains(id);
    assertThat(fleet("status", "--check").exit()).isEqualTo(SwitchboardCli.FAILED);

    Run audit = fleet("audit", "--org", id);
    assertThat(audit.exit()).isZero();
    assertThat(audit.out())
        .startsWith("AT")
        .contains("admin.org.suspend")
        .contains("admin.org.create");
  }

  @Test
  @DisplayName("org rotate-key starts a rotation and org keys shows its progress")
  void rotateKey() {
    String id = org();
    Run keys = fleet("org", "keys", id, "-o", "json");
    assertThat(keys.exit()).as(keys.err()).isZero();
    assertThat(keys.json().get("currentVersion").asInt()).isEqualTo(1);
    Run rotated = fleet("org", "rotate-key", id, "-o", "json");
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    assertThat(rotated.json().get("currentVersion").asInt()).isEqualTo(2);
    Run table = fleet("org", "keys", id);
    assertThat(table.exit()).as(table.err()).isZero();
    assertThat(table.out()).contains("current version").contains("2").contains("TABLE");
  }
}
