package io.switchboard.cli;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.admin.TestAdmin;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.testkit.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CLI's events and webhook commands, driven as an operator would")
class FeedCliTest {
  private final TestAdmin admin = TestAdmin.shared();

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
    String[] all = Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--admin-url";
    all[args.length + 1] = admin.url();
    all[args.length + 2] = "--admin-token";
    all[args.length + 3] = admin.fleetToken();
    return all;
  }

  private TestGateway.TestTenant orgWithOneUser() {
    TestGateway gw = TestGateway.shared();
    TestGateway.TestTenant org = gw.newTenant();
    var ctx = await(gw.switchboard().contexts().authenticate("Bearer " + org.token()));
    ObjectNode doc = ScimJson.object();
    doc.put("userName", "ada");
    await(
        new UserStore(gw.switchboard().database(), Clock.systemUTC())
            .create(new WriteContext(ctx, "cli"), doc));
    return org;
  }

  @Test
  @DisplayName("events list prints the feed as JSON lines and as a table; tail follows it")
  void events() throws Exception {
    String org = orgWithOneUser().id().toString();
    Run json = run(with("events", "list", "--org", org, "--output", "json"));
    assertThat(json.exit()).as(json.err()).isZero();
    String[] lines = json.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertThat(first.get("type").asText()).isEqualTo("user.invited");
    assertThat(first.get("seq").asLong()).isEqualTo(1);

    Run table = run(with("events", "list", "--org", org, "--after", "1"));
    assertThat(table.out()).contains("SEQ").contains("user.confirmed").contains("next cursor: 2");

    Run tail =
        run(
            with(
                "events", "tail", "--org", org, "--after", "0", "--max-events", "2", "-o", "json"));
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out().strip().split("\n")).hasSize(2);
  }

  @Test
  @DisplayName("webhook add shows the secret once, list shows the endpoint, remove deletes it")
  void webhooks() throws Exception {
    String org = orgWithOneUser().id().toString();
    Run added = run(with("webhook", "add", "--org", org, "--url", "https://hooks.example.com/x"));
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.out()).contains("whsec_").contains("shown once");

    Run listed = run(with("webhook", "list", "--org", org, "-o", "json"));
    JsonNode items = new ObjectMapper().readTree(listed.out()).get("items");
    assertThat(items).hasSize(1);
    String id = items.get(0).get("id").asText();
    assertThat(listed.out()).doesNotContain("whsec_");

    Run removed = run(with("webhook", "remove", "--org", org, "--id", id));
    assertThat(removed.exit()).as(removed.err()).isZero();
    Run again = run(with("webhook", "remove", "--org", org, "--id", id));
    assertThat(again.exit()).isEqualTo(SwitchboardCli.FAILED);
  }

  @Test
  @DisplayName(
      "org groups add registers an account group; org groups list shows it unlinked, then"
          + " linked once the IdP pushes the name")
  void accountGroups() throws Exception {
    TestGateway.TestTenant tenant = TestGateway.shared().newTenant();
    String org = tenant.id().toString();
    Run add = run(with("org", "groups", "add", org, "Engineering", "-o", "json"));
    assertThat(add.exit()).as(add.err()).isZero();
    String id = new ObjectMapper().readTree(add.out()).get("id").asText();

    Run unlinked = run(with("org", "groups", "list", org));
    assertThat(unlinked.exit()).as(unlinked.err()).isZero();
    assertThat(unlinked.out()).contains(id).contains("Engineering").contains("(unlinked)");

    Run again = run(with("org", "groups", "add", org, "engineering"));
    assertThat(again.exit()).isNotZero();

    var pushed = tenant.scim().post("/Groups", "{\"displayName\":\"Engineering\"}");
    assertThat(pushed.status()).as(pushed.toString()).isEqualTo(201);
    Run linked = run(with("org", "groups", "list", org, "-o", "json"));
    JsonNode items = new ObjectMapper().readTree(linked.out()).get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("id").asText()).isEqualTo(id);
    assertThat(items.get(0).get("scimGroupId").asText())
        .isEqualTo(pushed.body().get("id").asText());
  }
}
