package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.admin.TestAdmin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The switchboard CLI, driven as an operator would")
class CliTest {
  private final TestAdmin admin = TestAdmin.shared();

  /** Runs the CLI, returning exit code and what it printed. */
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

  @Test
  @DisplayName("org create and token issue with --output json print parseable ids and the token")
  void createAndIssue() throws Exception {
    Run created =
        run(with("org", "create", "--name", "CLI Org " + System.nanoTime(), "--output", "json"));
    assertThat(created.exit()).as(created.err()).isZero();
    JsonNode org = new ObjectMapper().readTree(created.out());
    String id = org.get("id").asText();
    assertThat(id).hasSize(36);

    Run issued = run(with("token", "issue", "--org", id, "--label", "okta", "--output", "json"));
    assertThat(issued.exit()).as(issued.err()).isZero();
    JsonNode token = new ObjectMapper().readTree(issued.out());
    assertThat(token.get("id").asText()).hasSize(32);
    assertThat(token.get("token").asText()).startsWith("sbt_");

    Run list = run(with("org", "list"));
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains(id).startsWith("ID");

    Run revoke = run(with("token", "revoke", "--org", id, "--token-id", token.get("id").asText()));
    assertThat(revoke.exit()).isZero();
  }

  @Test
  @DisplayName(
      "exit codes: 3 for a wrong key or unreachable admin, 1 for an API refusal, 2 for usage")
  void exitCodes() {
    Run wrongKey =
        run(
            "org",
            "list",
            "--admin-url",
            admin.url(),
            "--admin-token",
            "sba_" + "0".repeat(32) + "_" + "A".repeat(43));
    assertThat(wrongKey.exit()).isEqualTo(SwitchboardCli.UNREACHABLE);
    Run unreachable =
        run(
            "org",
            "list",
            "--admin-url",
            "http://127.0.0.1:1",
            "--admin-token",
            admin.fleetToken());
    assertThat(unreachable.exit()).isEqualTo(SwitchboardCli.UNREACHABLE);
    assertThat(unreachable.err()).contains("cannot reach tenant-admin");
    Run refused = run(with("token", "issue", "--org", "00000000-0000-0000-0000-000000000000"));
    assertThat(refused.exit()).isEqualTo(SwitchboardCli.FAILED);
    Run usage = run("org", "create");
    assertThat(usage.exit()).isEqualTo(SwitchboardCli.USAGE);
    Run badOutput = run(with("org", "list", "--output", "yaml"));
    assertThat(badOutput.exit()).isEqualTo(SwitchboardCli.USAGE);
  }
}
