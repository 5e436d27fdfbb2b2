package io.switchboard.store;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.gateway.Switchboard;
import io.switchboard.session.ScimSession;
import io.switchboard.store.AccountKeyRotation.KeyStatus;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Account-key rotation")
class AccountKeyRotationTest {
  private static final String PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

  private static AccountKeyRotation rotation(Switchboard sb, int batchSize) {
    return AccountKeyRotation.create(
        sb.vertx(),
        sb.database(),
        sb.sessions(),
        sb.provisioning(),
        new AccountKeyRotation.Options(batchSize, Duration.ofMillis(300)));
  }

  private static String createUser(ScimClient scim, String userName, String display) {
    Response r =
        scim.post(
            "/Users",
            "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                + userName
                + "\",\"displayName\":\""
                + display
                + "\"}");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.body().get("id").asText();
  }

  private static Response rename(ScimClient scim, String path, String attribute, String value) {
    return scim.patch(
        path,
        "{\"schemas\":[\""
            + PATCH_OP
            + "\"],\"Operations\":[{\"op\":\"replace\",\"path\":\""
            + attribute
            + "\",\"value\":\""
            + value
            + "\"}]}");
  }

  private static ScimSession session(Switchboard sb, UUID tenantId) {
    return await(
        sb.provisioning()
            .tenantRef(tenantId)
            .compose(ref -> sb.sessions().read(ref))
            .map(s -> s.session()));
  }

  @Test
  @DisplayName(
      "rotation under concurrent writes leaves no lost or unreadable row and no old key version")
  void rotationUnderConcurrentWrites() throws Exception {
    TestGateway gateway = TestGateway.shared();
    Switchboard sb = gateway.switchboard();
    TestTenant tenant = gateway.newTenant();
    // the writer runs flat out; this test is about keys, not the rate limit
    gateway.setSettings(
        tenant.id(),
        new io.vertx.core.json.JsonObject()
            .put(
                "rateLimit",
                new io.vertx.core.json.JsonObject()
                    .put("requestsPerSecond", 10_000)
                    .put("burst", 10_000)));
    ScimClient scim = tenant.scim();
    String marker = UUID.randomUUID().toString().substring(0, 8);

    Map<String, String> expectedUsers = new ConcurrentHashMap<>();
    Map<String, String> expectedGroups = new ConcurrentHashMap<>();
    for (int i = 0; i < 60; i++) {
      String display = "Before" + marker + "n" + i;
      expectedUsers.put(
          createUser(scim, "u" + i + "." + marker + "@example.com", display), display);
    }
    List<String> userIds = new ArrayList<>(expectedUsers.keySet());
    for (int i = 0; i < 6; i++) {
      String name = "Group" + marker + "n" + i;
      Response g =
          scim.post(
              "/Groups",
              "{\"displayName\":\""
                  + name
                  + "\",\"members\":[{\"value\":\""
                  + userIds.get(i)
                  + "\"}]}");
      assertThat(g.status()).as(g.toString()).isEqualTo(201);
      expectedGroups.put(g.body().get("id").asText(), name);
    }
    List<String> groupIds = new ArrayList<>(expectedGroups.keySet());
    // an unlinked account group holds its own encrypted name, which the rotation re-encrypts
    String imported = "Imported" + marker;
    var keysBefore = await(sb.contexts().authenticate("Bearer " + tenant.token())).keys();
    assertThat(await(AccountGroups.register(sb.database(), keysBefore, imported))).isPresent();

    // a writer creating and patching users and groups, and reading them back, throughout
    AtomicBoolean stop = new AtomicBoolean();
    List<String> failures = new CopyOnWriteArrayList<>();
    AtomicInteger writes = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              int n = 0;
              while (!stop.get()) {
                n++;
                var random = ThreadLocalRandom.current();
                String id = userIds.get(random.nextInt(userIds.size()));
                String display = "During" + marker + "w" + n;
                // the expectation is set before the write, and the writer is the only writer
                Response r;
                if (n % 5 == 0) {
                  String gid = groupIds.get(random.nextInt(groupIds.size()));
                  String name = "Group" + marker + "w" + n;
                  expectedGroups.put(gid, name);
                  r = rename(scim, "/Groups/" + gid, "displayName", name);
                } else if (n % 3 == 0) {
                  String display2 = "Created" + marker + "w" + n;
                  Response created =
                      scim.post(
                          "/Users",
                          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                              + "\"userName\":\"w"
                              + n
                              + "."
                              + marker
                              + "@example.com\",\"displayName\":\""
                              + display2
                              + "\"}");
                  if (created.status() == 201) {
                    expectedUsers.put(created.body().get("id").asText(), display2);
                  }
                  r = created;
                } else {
                  expectedUsers.put(id, display);
                  r = rename(scim, "/Users/" + id, "displayName", display);
                }
                if (r.status() >= 300) {
                  failures.add("write: " + r);
                }
                Response read = scim.get("/Users/" + id);
                if (read.status() != 200) {
                  failures.add("read: " + read);
                }
                writes.incrementAndGet();
              }
            },
            "scim-writer");
    writer.start();
    try {
      // the first rotation's old key (1) is also the index key, so it stays for the indexes;
      // a second rotation shows a data-only key leaving the session
      AccountKeyRotation rotation = rotation(sb, 7);
      KeyStatus first = await(rotation.rotateAndWait(tenant.id()));
      assertThat(first.state()).isEqualTo(KeyStatus.IDLE);
      assertThat(first.currentVersion()).isEqualTo(2);
      assertThat(first.rowsByVersion()).containsOnlyKeys(2);
      assertThat(first.retainedForIndex()).containsExactly(1);

      KeyStatus second = await(rotation.rotateAndWait(tenant.id()));
      assertThat(second.state()).isEqualTo(KeyStatus.IDLE);
      assertThat(second.currentVersion()).isEqualTo(3);
      assertThat(second.rowsByVersion()).containsOnlyKeys(3);
      assertThat(second.sessionVersions()).containsExactly(1, 3);
      assertThat(second.lastError()).isNull();
    } finally {
      stop.set(true);
      writer.join(30_000);
    }
    assertThat(failures).isEmpty();
    assertThat(writes.get()).as("writes during the rotations").isGreaterThan(10);

    // rows the writer wrote after the last pass are written under the current key as well
    KeyStatus after = await(rotation(sb, 7).status(tenant.id()));
    assertThat(after.rowsByVersion()).containsOnlyKeys(3);
    assertThat(after.rowsByTable().get("events")).containsOnlyKeys(3);
    assertThat(after.rowsByTable().get("accountGroups")).containsOnlyKeys(3);
    ScimSession session = session(sb, tenant.id());
    assertThat(session.accountKeys().keySet()).containsExactly(1, 3);
    assertThat(session.currentKeyVersion()).isEqualTo(3);

    // every resource reads back with what was last written, from a freshly loaded session
    sb.contexts().invalidateSession(tenant.id());
    var keysAfter = await(sb.contexts().authenticate("Bearer " + tenant.token())).keys();
    assertThat(
            await(AccountGroups.list(sb.database(), keysAfter)).stream()
                .map(o -> ((io.vertx.core.json.JsonObject) o).getString("displayName"))
                .toList())
        .contains(imported);
    for (var e : expectedUsers.entrySet()) {
      Response r = scim.get("/Users/" + e.getKey());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().get("displayName").asText()).isEqualTo(e.getValue());
    }
    for (var e : expectedGroups.entrySet()) {
      Response r = scim.get("/Groups/" + e.getKey());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().get("displayName").asText()).isEqualTo(e.getValue());
    }
    // blind indexes still find users by userName
    Response found =
        scim.get(
            "/Users?filter="
                + ScimClient.q("userName eq \"u7." + marker.toUpperCase() + "@EXAMPLE.COM\""));
    assertThat(found.body().get("totalResults").asInt()).isEqualTo(1);

    // and the database still holds ciphertext only
    String dump = AtRestTest.dumpEverything();
    assertThat(dump).contains(tenant.id().toString());
    assertThat(dump).doesNotContain(marker);
  }

  @Test
  @DisplayName("a rotation interrupted after its key was added is resumed, not restarted")
  void resumesAnInterruptedRotation() {
    TestGateway gateway = TestGateway.shared();
    Switchboard sb = gateway.switchboard();
    TestTenant tenant = gateway.newTenant();
    String marker = UUID.randomUUID().toString().substring(0, 8);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ids.add(createUser(tenant.scim(), "r" + i + "." + marker + "@example.com", "R" + i));
    }
    // a run that crashed right after the session write: the new key is in, nothing re-encrypted
    await(
        sb.provisioning()
            .tenantRef(tenant.id())
            .compose(
                ref ->
                    sb.provisioning()
                        .updateSession(ref, s -> s.withNewAccountKey(Instant.now()), 3)));
    // a second run from before: another key, some rows already under it
    await(
        sb.provisioning()
            .tenantRef(tenant.id())
            .compose(
                ref ->
                    sb.provisioning()
                        .updateSession(ref, s -> s.withNewAccountKey(Instant.now()), 3)));
    sb.contexts().invalidateSession(tenant.id());
    Response patched = rename(tenant.scim(), "/Users/" + ids.get(0), "displayName", "R0b");
    assertThat(patched.status()).as(patched.toString()).isIn(200, 204);

    AccountKeyRotation rotation = rotation(sb, 4);
    KeyStatus pending = await(rotation.status(tenant.id()));
    assertThat(pending.state()).isEqualTo(KeyStatus.PENDING);
    assertThat(pending.currentVersion()).isEqualTo(3);
    assertThat(pending.rowsToReencrypt()).isGreaterThanOrEqualTo(24);
    assertThat(pending.rowsByVersion()).containsKeys(1, 3);

    KeyStatus started = await(rotation.start(tenant.id()));
    assertThat(started.currentVersion()).as("no further key for a pending rotation").isEqualTo(3);
    KeyStatus done = await(rotation.completion(tenant.id()));
    assertThat(done.state()).isEqualTo(KeyStatus.IDLE);
    assertThat(done.rowsByVersion()).containsOnlyKeys(3);
    assertThat(done.sessionVersions()).isEqualTo(Set.of(1, 3));

    sb.contexts().invalidateSession(tenant.id());
    for (int i = 0; i < ids.size(); i++) {
      Response r = tenant.scim().get("/Users/" + ids.get(i));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().get("displayName").asText()).isEqualTo(i == 0 ? "R0b" : "R" + i);
    }
    // running it again when nothing is left starts a fresh rotation
    KeyStatus again = await(rotation.rotateAndWait(tenant.id()));
    assertThat(again.currentVersion()).isEqualTo(4);
    assertThat(again.rowsByVersion()).containsOnlyKeys(4);
    assertThat(again.sessionVersions()).containsExactly(1, 4);
  }

  @Test
  @DisplayName(
      "a gateway that has not heard of a new key yet answers 503 with Retry-After once, then reads")
  void staleSessionIsReloaded() {
    TestGateway gateway = TestGateway.shared();
    Switchboard sb = gateway.switchboard();
    TestTenant tenant = gateway.newTenant();
    String id = createUser(tenant.scim(), "stale." + UUID.randomUUID() + "@example.com", "Stale");
    // the key changes behind this gateway's back (no announcement), and the row is re-encrypted
    await(
        sb.provisioning()
            .tenantRef(tenant.id())
            .compose(
                ref ->
                    sb.provisioning()
                        .updateSession(ref, s -> s.withNewAccountKey(Instant.now()), 3)));
    KeyStatus done = await(rotation(sb, 10).resume(tenant.id()));
    assertThat(done.rowsByVersion()).containsOnlyKeys(2);

    Response stale = tenant.scim().get("/Users/" + id);
    assertThat(stale.status()).as(stale.toString()).isEqualTo(503);
    assertThat(stale.header("Retry-After")).isEqualTo("1");
    Response retried = tenant.scim().get("/Users/" + id);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    assertThat(retried.body().get("displayName").asText()).isEqualTo("Stale");
  }
}
