package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Tenant-admin: the change feed, account status and webhook endpoints")
class FeedApiTest {
  private final TestAdmin admin = TestAdmin.shared();
  private final AdminHttp fleet = new AdminHttp(admin.url(), admin.fleetToken());
  private TestGateway.TestTenant org;
  private UserStore users;
  private WriteContext write;

  @BeforeEach
  void org() {
    TestGateway gw = TestGateway.shared();
    org = gw.newTenant();
    write =
        new WriteContext(
            await(gw.switchboard().contexts().authenticate("Bearer " + org.token())), "t");
    users = new UserStore(gw.switchboard().database(), Clock.systemUTC());
  }

  private StoredResource user(String name) {
    ObjectNode doc = ScimJson.object();
    doc.put("userName", name);
    return await(users.create(write, doc));
  }

  @Test
  @DisplayName("events are pulled in order after a cursor, limit pages them, and the cursor moves")
  void pull() {
    StoredResource ada = user("ada");
    user("bob");
    var first = fleet.get("/orgs/" + org.id() + "/events?after=0&limit=3");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body().get("items").findValuesAsText("type"))
        .containsExactly("user.invited", "user.confirmed", "user.invited");
    assertThat(first.body().get("items").get(0).get("resourceId").asText())
        .isEqualTo(ada.id().toString());
    assertThat(first.body().get("items").get(0).at("/data/resource/userName").asText())
        .isEqualTo("ada");
    assertThat(first.body().get("nextCursor").asText()).isEqualTo("3");
    var rest = fleet.get("/orgs/" + org.id() + "/events?after=3");
    assertThat(rest.body().get("items").findValuesAsText("seq")).containsExactly("4");
    var none = fleet.get("/orgs/" + org.id() + "/events?after=4");
    assertThat(none.body().get("items")).isEmpty();
    assertThat(none.body().get("nextCursor").asText()).isEqualTo("4");

    assertThat(fleet.get("/orgs/" + org.id() + "/events?limit=0").status()).isEqualTo(400);
    assertThat(fleet.get("/orgs/" + UUID.randomUUID() + "/events").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a long-poll waits for the next event and returns as soon as it is written")
  void longPoll() throws Exception {
    user("ada");
    long started = System.nanoTime();
    CompletableFuture<ScimClient.Response> waiting =
        CompletableFuture.supplyAsync(
            () -> fleet.get("/orgs/" + org.id() + "/events?after=2&wait=20"));
    Thread.sleep(300); // let the request start waiting before the write
    assertThat(waiting).isNotDone();
    user("bob");
    var r = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.body().get("items").findValuesAsText("type"))
        .containsExactly("user.invited", "user.confirmed");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(15_000);
  }

  @Test
  @DisplayName("account status is visible in full: active, confirmed immediately")
  void status() {
    StoredResource ada = user("ada");
    var s = fleet.get("/orgs/" + org.id() + "/users/" + ada.id() + "/status");
    assertThat(s.status()).isEqualTo(200);
    assertThat(s.body().get("status").asText()).isEqualTo("active");
    assertThat(s.body().get("confirmedBy").asText()).isEqualTo("immediate");
    assertThat(fleet.get("/orgs/" + org.id() + "/users/" + UUID.randomUUID() + "/status").status())
        .isEqualTo(404);
  }

  @Test
  @DisplayName("a webhook is created with its secret shown once, listed, inspected and removed")
  void webhookCrud() {
    var created =
        fleet.post(
            "/orgs/" + org.id() + "/webhooks",
            "{\"url\":\"https://hooks.example.com/scim\",\"description\":\"hr\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.body().get("secret").asText()).startsWith("whsec_");
    String id = created.body().get("id").asText();

    var listed = fleet.get("/orgs/" + org.id() + "/webhooks");
    assertThat(listed.body().get("items").findValuesAsText("id")).containsExactly(id);
    assertThat(listed.raw()).doesNotContain(created.body().get("secret").asText());
    var one = fleet.get("/orgs/" + org.id() + "/webhooks/" + id);
    assertThat(one.body().has("secret")).isFalse();
    assertThat(one.body().get("deadLetters").asLong()).isZero();

    assertThat(
            fleet.get("/orgs/" + org.id() + "/webhooks/" + id + "/deliveries").body().get("items"))
        .isEmpty();
    assertThat(
            fleet
                .post("/orgs/" + org.id() + "/webhooks/" + id + "/deliveries/1/redeliver", "{}")
                .status())
        .as("nothing was sent yet")
        .isEqualTo(404);
    assertThat(fleet.post("/orgs/" + org.id() + "/webhooks", "{\"url\":\"ftp://x\"}").status())
        .isEqualTo(400);
    var withCredentials =
        fleet.post(
            "/orgs/" + org.id() + "/webhooks", "{\"url\":\"https://u:p@hooks.example.com/x\"}");
    assertThat(withCredentials.status()).isEqualTo(400);
    assertThat(withCredentials.body().at("/error/code").asText()).isEqualTo("webhook_url_invalid");

    assertThat(fleet.delete("/orgs/" + org.id() + "/webhooks/" + id).status()).isEqualTo(204);
    assertThat(fleet.get("/orgs/" + org.id() + "/webhooks/" + id).status()).isEqualTo(404);
    assertThat(fleet.get("/webhooks/dead-letters").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a dead-lettered event shows in the webhook, in its deliveries and in fleet status")
  void deadLettersInFleetStatus() {
    var created =
        fleet.post("/orgs/" + org.id() + "/webhooks", "{\"url\":\"https://hooks.example.com/x\"}");
    UUID hook = UUID.fromString(created.body().get("id").asText());
    user("ada");
    // what a delivery worker records when the receiver refused event 1 on every attempt
    var db = TestGateway.shared().switchboard().database();
    await(
        db.inTenant(
            org.id(),
            c ->
                c.preparedQuery(
                        "insert into webhook_deliveries (tenant_id, endpoint_id, seq, status,"
                            + " attempts, last_status_code, last_error)"
                            + " values ($1, $2, 1, 'dead_letter', 18, 500, 'http_500')")
                    .execute(io.vertx.sqlclient.Tuple.of(org.id(), hook))
                    .compose(
                        v ->
                            c.preparedQuery(
                                    "update webhook_endpoints set delivered_seq = 1"
                                        + " where tenant_id = $1 and id = $2")
                                .execute(io.vertx.sqlclient.Tuple.of(org.id(), hook)))));

    var one = fleet.get("/orgs/" + org.id() + "/webhooks/" + hook);
    assertThat(one.body().get("deadLetters").asLong()).isEqualTo(1);
    var dead =
        fleet.get("/orgs/" + org.id() + "/webhooks/" + hook + "/deliveries?status=dead_letter");
    assertThat(dead.body().get("items").get(0).get("seq").asLong()).isEqualTo(1);
    var status = fleet.get("/fleet/status");
    assertThat(status.status()).as(status.raw()).isEqualTo(200);
    assertThat(status.body().get("webhookDeadLetters").asLong()).isGreaterThanOrEqualTo(1);
    assertThat(status.body().get("needsAttention").toString()).contains(org.id().toString());
    var entry =
        java.util.stream.StreamSupport.stream(status.body().get("orgs").spliterator(), false)
            .filter(o -> o.get("id").asText().equals(org.id().toString()))
            .findFirst()
            .orElseThrow();
    assertThat(entry.get("webhookDeadLetters").asLong()).isEqualTo(1);
    assertThat(entry.get("attention").toString()).contains("webhook_dead_letters");
    assertThat(
            fleet
                .post("/orgs/" + org.id() + "/webhooks/" + hook + "/deliveries/1/redeliver", null)
                .status())
        .isEqualTo(202);
    assertThat(
            fleet
                .get("/orgs/" + org.id() + "/webhooks/" + hook + "/deliveries?status=redeliver")
                .body()
                .get("items"))
        .hasSize(1);
  }

  @Test
  @DisplayName(
      "a cursor older than what retention kept is answered 410 with the oldest cursor served")
  void prunedCursor() {
    user("ada");
    user("bob"); // events 1..4
    var db = TestGateway.shared().switchboard().database();
    await(
        db.inTenant(
            org.id(),
            c ->
                c.preparedQuery(
                        "update provisioning_events set created_at = now() - interval '40 days'"
                            + " where tenant_id = $1 and seq <= 2")
                    .execute(io.vertx.sqlclient.Tuple.of(org.id()))));
    var retention =
        io.switchboard.feed.FeedRetention.create(
            TestGateway.shared().vertx(),
            db,
            java.time.Duration.ofDays(30),
            java.time.Duration.ofHours(1),
            100);
    assertThat(
            await(
                retention.prune(
                    org.id(), java.time.Instant.now().minus(java.time.Duration.ofDays(30)))))
        .isEqualTo(2);

    var expired = fleet.get("/orgs/" + org.id() + "/events?after=0");
    assertThat(expired.status()).as(expired.raw()).isEqualTo(410);
    assertThat(expired.body().at("/error/code").asText()).isEqualTo("cursor_expired");
    assertThat(expired.body().at("/error/oldestCursor").asText()).isEqualTo("2");
    assertThat(fleet.get("/orgs/" + org.id() + "/events?after=1").status()).isEqualTo(410);

    var kept = fleet.get("/orgs/" + org.id() + "/events?after=2");
    assertThat(kept.status()).as(kept.raw()).isEqualTo(200);
    assertThat(kept.body().get("items").findValuesAsText("seq")).containsExactly("3", "4");
  }
}
