package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.ScimJson;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The feed is sequenced after commit: parallel writers, gap-free, never reordered")
class FeedSequencerTest {
  private static final String USER = "urn:ietf:params:scim:schemas:core:2.0:User";
  private final TestGateway gateway = TestGateway.shared();

  private static String user(String userName) {
    var u = ScimJson.object();
    u.putArray("schemas").add(USER);
    u.put("userName", userName);
    return u.toString();
  }

  private List<FeedEvent> after(TenantContext t, long cursor) {
    return await(
        gateway
            .switchboard()
            .database()
            .inTenant(t.tenantId(), c -> FeedReader.after(c, t.keys(), cursor, 10_000)));
  }

  @Test
  @DisplayName(
      "16 writers of one tenant and a reader polling meanwhile: the reader's cursor never skips an"
          + " event, seqs are 1..n, and each user's events come in causal order")
  void parallelWritersAndAPollingReader() throws Exception {
    TestGateway.TestTenant org = gateway.newTenant();
    gateway.setSettings(
        org.id(),
        new io.vertx.core.json.JsonObject(
            "{\"rateLimit\":{\"requestsPerSecond\":10000,\"burst\":100000},\"concurrency\":64}"));
    ScimClient scim = org.scim();
    TenantContext t = await(gateway.switchboard().contexts().authenticate("Bearer " + org.token()));
    int writers = 16;
    int perWriter = 15;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    List<FeedEvent> polled = new ArrayList<>();
    try {
      Future<?> reader =
          pool.submit(
              () -> {
                long cursor = 0;
                while (true) {
                  boolean last = !writing.get();
                  List<FeedEvent> page = after(t, cursor);
                  for (FeedEvent e : page) {
                    assertThat(e.seq()).as("next seq after the cursor").isEqualTo(cursor + 1);
                    cursor = e.seq();
                    polled.add(e);
                  }
                  if (last && page.isEmpty()) {
                    return null;
                  }
                }
              });
      Map<String, String> ids = new ConcurrentHashMap<>();
      List<Future<?>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        work.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perWriter; i++) {
                    String name = "w" + writer + "-" + i + "@example.com";
                    ScimClient.Response created = scim.post("/Users", user(name));
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                    String id = created.body().path("id").asText();
                    ids.put(id, name);
                    ScimClient.Response patched =
                        scim.patch(
                            "/Users/" + id,
                            "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                                + "\"Operations\":[{\"op\":\"replace\",\"path\":\"active\","
                                + "\"value\":false}]}");
                    assertThat(patched.status()).as(patched.toString()).isIn(200, 204);
                  }
                  return null;
                }));
      }
      for (Future<?> f : work) {
        f.get(120, TimeUnit.SECONDS);
      }
      writing.set(false);
      reader.get(120, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    List<FeedEvent> all = after(t, 0);
    assertThat(polled)
        .extracting(FeedEvent::id)
        .containsExactlyElementsOf(all.stream().map(FeedEvent::id).toList());
    for (int i = 0; i < all.size(); i++) {
      assertThat(all.get(i).seq()).isEqualTo(i + 1);
    }
    // per user: invited, confirmed, updated, suspended, in that order
    Map<UUID, List<String>> byUser = new HashMap<>();
    for (FeedEvent e : all) {
      byUser.computeIfAbsent(e.resourceId(), k -> new ArrayList<>()).add(e.type());
    }
    assertThat(byUser).hasSize(writers * perWriter);
    Set<List<String>> shapes = new HashSet<>(byUser.values());
    assertThat(shapes)
        .containsExactly(
            List.of("user.invited", "user.confirmed", "user.updated", "user.suspended"));
  }

  @Test
  @DisplayName("events are sequenced after commit without any reader asking (webhooks need it)")
  void sequencedWithoutAReader() {
    TestGateway.TestTenant org = gateway.newTenant();
    assertThat(org.scim().post("/Users", user("nobody-reads@example.com")).status()).isEqualTo(201);
    long unsequenced = -1;
    for (int attempt = 0; attempt < 200 && unsequenced != 0; attempt++) {
      unsequenced =
          await(
              gateway
                  .switchboard()
                  .database()
                  .inTenant(
                      org.id(),
                      c ->
                          c.preparedQuery(
                                  "select count(*) filter (where seq is null),"
                                      + " count(*) from provisioning_events where tenant_id = $1")
                              .execute(Tuple.of(org.id()))
                              .map(
                                  rows -> {
                                    var row = rows.iterator().next();
                                    assertThat(row.getLong(1)).isPositive();
                                    return row.getLong(0);
                                  })));
      if (unsequenced != 0) {
        sleep(25);
      }
    }
    assertThat(unsequenced).as("events still without a seq").isZero();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
