package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestDatabase;
import io.switchboard.testkit.TestGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Signed webhook delivery from the outbox, against a real receiver on loopback")
class WebhookDeliveryTest {
  private final TestGateway gateway = TestGateway.shared();
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  private static final DeliveryWorker.Options FAST =
      new DeliveryWorker.Options(
          2,
          Duration.ofMillis(50),
          Duration.ofMillis(500),
          Duration.ofMillis(40),
          Duration.ofMillis(200),
          50,
          20);

  @AfterEach
  void stop() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  /** A tenant with its own store handle and a way to make changes. */
  private final class Tenant {
    final TenantContext ctx;
    final UserStore users;
    final WriteContext write;

    Tenant() {
      var t = gateway.newTenant();
      ctx = await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
      users = new UserStore(gateway.switchboard().database(), Clock.systemUTC());
      write = new WriteContext(ctx, "test");
    }

    UUID id() {
      return ctx.tenantId();
    }

    void createUsers(int n) {
      for (int i = 0; i < n; i++) {
        ObjectNode doc = ScimJson.object();
        doc.put("userName", "user-" + i + "-" + UUID.randomUUID());
        await(users.create(write, doc));
      }
    }

    List<FeedEvent> feed() {
      return await(
          gateway
              .switchboard()
              .database()
              .inTenant(id(), c -> FeedReader.after(c, ctx.keys(), 0, 10_000)));
    }
  }

  private TenantKeyring keyring() {
    var sb = gateway.switchboard();
    return TenantKeyring.create(sb.vertx(), sb.database(), sb.sessions());
  }

  /** A worker on a pool of its own, as on another gateway instance. */
  private DeliveryWorker worker(DeliveryWorker.Options options) {
    return worker(options, WebhookTargets.create(gateway.vertx(), true));
  }

  private DeliveryWorker worker(DeliveryWorker.Options options, WebhookTargets targets) {
    Database db =
        Database.create(gateway.vertx(), TestDatabase.get().appUrl(), options.lanes() + 1);
    DeliveryWorker w = DeliveryWorker.start(gateway.vertx(), db, keyring(), options, targets);
    cleanup.add(() -> await(w.stop().compose(v -> db.close())));
    return w;
  }

  private WebhookReceiver receiver() {
    WebhookReceiver r = new WebhookReceiver();
    cleanup.add(r);
    return r;
  }

  private Webhooks webhooks() {
    return new Webhooks(
        gateway.switchboard().database(), keyring(), WebhookTargets.create(gateway.vertx(), true));
  }

  private UUID subscribe(Tenant t, WebhookReceiver r) {
    Webhooks.Created created = await(webhooks().create(t.id(), r.url(), "test", true));
    r.secret(created.secret());
    UUID id = UUID.fromString(created.endpoint().getString("id"));
    cleanup.add(() -> await(webhooks().delete(t.id(), id)));
    return id;
  }

  private static void eventually(Duration within, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within + ": " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  @DisplayName(
      "a receiver that fails, times out and recovers gets every event, in order, with"
          + " duplicates only under the same idempotency key")
  void failuresTimeoutsRecovery() {
    Tenant t = new Tenant();
    WebhookReceiver r = receiver();
    AtomicInteger calls = new AtomicInteger();
    r.script(
        req -> {
          int n = calls.incrementAndGet();
          if (n <= 3) {
            return WebhookReceiver.Answer.fail();
          }
          if (n <= 5) {
            return WebhookReceiver.Answer.hang(Duration.ofMillis(1200));
          }
          // then flaky: every fourth request fails
          return n % 4 == 0 ? WebhookReceiver.Answer.fail() : WebhookReceiver.Answer.ok();
        });
    subscribe(t, r);
    t.createUsers(6); // 12 events: invited + confirmed each
    worker(FAST);
    t.createUsers(6); // more while delivering
    List<FeedEvent> feed = t.feed();
    assertThat(feed).hasSize(24);

    eventually(
        Duration.ofSeconds(30),
        () -> r.acceptedSeqs().size() == 24,
        "all 24 events accepted; got " + r.acceptedSeqs());

    assertThat(r.acceptedSeqs())
        .as("first acceptance of each event in feed order")
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 24).boxed().toList());
    assertThat(r.requests).allMatch(WebhookReceiver.Received::signatureValid);
    assertThat(r.requests.size()).as("failures were retried").isGreaterThan(24);
    Map<Long, String> keyBySeq =
        feed.stream().collect(Collectors.toMap(FeedEvent::seq, e -> String.valueOf(e.id())));
    for (var req : r.requests) {
      assertThat(req.idempotencyKey()).isEqualTo(keyBySeq.get(req.seq()));
      assertThat(req.body()).contains("\"seq\":" + req.seq());
    }
    assertThat(r.requests)
        .as("the hung requests were given up on and retried")
        .anyMatch(q -> !q.answer().delay().isZero());
  }

  @Test
  @DisplayName(
      "an event that keeps failing is dead-lettered, later events flow, and a manual"
          + " redelivery delivers it")
  void deadLetterAndRedelivery() {
    Tenant t = new Tenant();
    WebhookReceiver r = receiver();
    java.util.concurrent.atomic.AtomicBoolean poisoned =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    r.script(
        req ->
            req.seq() == 2 && poisoned.get()
                ? WebhookReceiver.Answer.fail()
                : WebhookReceiver.Answer.ok());
    UUID hook = subscribe(t, r);
    t.createUsers(2);
    worker(
        new DeliveryWorker.Options(
            1,
            Duration.ofMillis(50),
            Duration.ofMillis(500),
            Duration.ofMillis(20),
            Duration.ofMillis(50),
            3,
            20));

    eventually(
        Duration.ofSeconds(20),
        () -> r.acceptedSeqs().containsAll(List.of(1L, 3L, 4L)),
        "events other than the poisoned one delivered");
    var dead = await(webhooks().deliveries(t.id(), hook, "dead_letter", 10));
    assertThat(dead).hasSize(1);
    assertThat(dead.getJsonObject(0).getLong("seq")).isEqualTo(2L);
    assertThat(dead.getJsonObject(0).getInteger("attempts")).isEqualTo(3);
    assertThat(dead.getJsonObject(0).getInteger("lastStatusCode")).isEqualTo(500);
    assertThat(r.requests.stream().filter(q -> q.seq() == 2).count()).isEqualTo(3);
    assertThat(await(webhooks().get(t.id(), hook)).orElseThrow().getLong("deadLetters"))
        .isEqualTo(1L);

    poisoned.set(false);
    assertThat(await(webhooks().redeliver(t.id(), hook, 2))).isTrue();
    assertThat(await(webhooks().redeliver(t.id(), hook, 99))).as("not sent yet").isFalse();
    eventually(Duration.ofSeconds(20), () -> r.acceptedSeqs().contains(2L), "redelivered event 2");
    eventually(
        Duration.ofSeconds(5),
        () ->
            await(webhooks().deliveries(t.id(), hook, "delivered", 10)).stream()
                .anyMatch(d -> ((io.vertx.core.json.JsonObject) d).getLong("seq") == 2L),
        "the delivery record of event 2 says delivered");
    assertThat(await(webhooks().deliveries(t.id(), hook, "dead_letter", 10))).isEmpty();
  }

  @Test
  @DisplayName(
      "two delivery workers on one database never send the same event concurrently and"
          + " together deliver every event of every endpoint exactly once")
  void twoWorkers() {
    Tenant a = new Tenant();
    Tenant b = new Tenant();
    Map<String, WebhookReceiver> receivers = new HashMap<>();
    List<Tenant> owners = List.of(a, a, b);
    for (int i = 0; i < owners.size(); i++) {
      WebhookReceiver r = receiver();
      r.script(req -> new WebhookReceiver.Answer(200, Duration.ZERO));
      subscribe(owners.get(i), r);
      receivers.put("r" + i, r);
    }
    // a slow receiver makes overlapping attempts likely if locking were wrong
    receivers
        .values()
        .forEach(
            r ->
                r.script(
                    req -> {
                      try {
                        Thread.sleep(15);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return WebhookReceiver.Answer.ok();
                    }));
    DeliveryWorker.Options opts =
        new DeliveryWorker.Options(
            3,
            Duration.ofMillis(20),
            Duration.ofSeconds(5),
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            50,
            3);
    worker(opts);
    worker(opts);
    a.createUsers(15);
    b.createUsers(15);

    eventually(
        Duration.ofSeconds(30),
        () -> receivers.values().stream().allMatch(r -> r.acceptedSeqs().size() == 30),
        "every endpoint received all 30 events");
    for (WebhookReceiver r : receivers.values()) {
      assertThat(r.maxConcurrentSameEvent.get()).isEqualTo(1);
      assertThat(r.requests).hasSize(30);
      assertThat(r.acceptedSeqs())
          .containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
    }
  }

  @Test
  @DisplayName(
      "when a tenant's keys are gone (crypto-shred) its endpoint backs off instead of"
          + " spinning, and nothing is sent")
  void keysUnavailable() {
    Tenant t = new Tenant();
    WebhookReceiver r = receiver();
    UUID hook = subscribe(t, r);
    t.createUsers(1);
    await(
        gateway
            .switchboard()
            .sessions()
            .delete(io.switchboard.session.TenantSessionRef.local(t.id())));
    worker(FAST);
    eventually(
        Duration.ofSeconds(10),
        () ->
            "keys_unavailable"
                .equals(await(webhooks().get(t.id(), hook)).orElseThrow().getString("lastError")),
        "the endpoint records why it waits");
    var state = await(webhooks().get(t.id(), hook)).orElseThrow();
    assertThat(state.getInteger("attempts")).isGreaterThanOrEqualTo(1);
    assertThat(state.getLong("deliveredSeq")).isZero();
    assertThat(r.requests).isEmpty();
  }

  @Test
  @DisplayName("a signature verifies only with the right secret, body and a fresh timestamp")
  void signature() {
    byte[] body = "{\"seq\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.time.Instant now = java.time.Instant.ofEpochSecond(1_800_000_000L);
    String header = WebhookSignature.sign("whsec_x", now, body);
    assertThat(header).matches("t=1800000000,v1=[0-9a-f]{64}");
    Duration window = WebhookSignature.DEFAULT_TOLERANCE;
    assertThat(WebhookSignature.verify("whsec_x", header, body, now, window)).isTrue();
    assertThat(WebhookSignature.verify("whsec_y", header, body, now, window)).isFalse();
    assertThat(WebhookSignature.verify("whsec_x", header, "{}".getBytes(), now, window)).isFalse();
    assertThat(WebhookSignature.verify("whsec_x", header, body, now.plusSeconds(301), window))
        .as("outside the replay window")
        .isFalse();
  }

  @Test
  @DisplayName(
      "a target is checked again at delivery: an endpoint whose host now resolves to loopback"
          + " gets nothing, and its last error says why")
  void refusedAtDelivery() {
    Tenant t = new Tenant();
    WebhookReceiver r = receiver();
    UUID hook = subscribe(t, r);
    // what DNS rebinding looks like from here: a name that now resolves to loopback
    String rebound = r.url().replace("http://127.0.0.1", "https://localhost");
    assertThat(rebound).startsWith("https://localhost:");
    await(
        gateway
            .switchboard()
            .database()
            .inTenant(
                t.id(),
                c ->
                    c.preparedQuery(
                            "update webhook_endpoints set url = $3 where tenant_id = $1 and id = $2")
                        .execute(io.vertx.sqlclient.Tuple.of(t.id(), hook, rebound))));
    t.createUsers(1);
    worker(FAST, WebhookTargets.create(gateway.vertx(), false));
    eventually(
        Duration.ofSeconds(30),
        () -> await(webhooks().get(t.id(), hook)).orElseThrow().getValue("lastError") != null,
        "the worker tried the endpoint");
    var endpoint = await(webhooks().get(t.id(), hook)).orElseThrow();
    assertThat(endpoint.getString("lastError"))
        .isEqualTo("refused: " + WebhookTargets.FORBIDDEN_ADDRESS);
    assertThat(endpoint.getLong("deliveredSeq")).isZero();
    assertThat(r.requests).isEmpty();
  }

  @Test
  @DisplayName(
      "a redelivery of an event the retention pruned meanwhile is dropped, not retried forever")
  void redeliveryOfPrunedEvent() {
    Tenant t = new Tenant();
    WebhookReceiver r = receiver();
    UUID hook = subscribe(t, r);
    t.createUsers(1);
    worker(FAST);
    eventually(
        Duration.ofSeconds(20),
        () -> r.acceptedSeqs().containsAll(List.of(1L, 2L)),
        "both events delivered");
    // the race: the redelivery was queued, then the retention pruned event 1
    await(
        gateway
            .switchboard()
            .database()
            .inTenant(
                t.id(),
                c ->
                    c.preparedQuery(
                            "insert into webhook_deliveries (tenant_id, endpoint_id, seq, status,"
                                + " attempts) values ($1, $2, 1, 'redeliver', 0)")
                        .execute(io.vertx.sqlclient.Tuple.of(t.id(), hook))
                        .compose(
                            v ->
                                c.preparedQuery(
                                        "delete from provisioning_events where tenant_id = $1"
                                            + " and seq = 1")
                                    .execute(io.vertx.sqlclient.Tuple.of(t.id())))));
    eventually(
        Duration.ofSeconds(20),
        () -> await(webhooks().deliveries(t.id(), hook, "redeliver", 10)).isEmpty(),
        "the redelivery row is gone");
    assertThat(r.requests.stream().filter(q -> q.seq() == 1).count()).isEqualTo(1);
    t.createUsers(1);
    eventually(
        Duration.ofSeconds(20),
        () -> r.acceptedSeqs().containsAll(List.of(3L, 4L)),
        "the endpoint keeps going");
  }
}
