package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.lifecycle.AccountLifecycle;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.switchboard.store.GroupStore;
import io.switchboard.store.MemberOp;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The change feed and account lifecycle at store level, on real PostgreSQL")
class FeedStoreTest {
  private final TestGateway gateway = TestGateway.shared();
  private Database db;
  private UserStore users;
  private GroupStore groups;
  private TenantContext tenant;
  private WriteContext write;

  @BeforeEach
  void tenant() {
    TestGateway.TestTenant t = gateway.newTenant();
    tenant = await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
    write = new WriteContext(tenant, "test-" + UUID.randomUUID());
    db = gateway.switchboard().database();
    users = new UserStore(db, Clock.systemUTC());
    groups = new GroupStore(db, Clock.systemUTC());
  }

  private List<FeedEvent> feed() {
    return await(db.inTenant(tenant.tenantId(), c -> FeedReader.after(c, tenant.keys(), 0, 1000)));
  }

  private static ObjectNode user(String userName, String email, boolean active) {
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    doc.put("userName", userName);
    doc.put("active", active);
    doc.putArray("emails").addObject().put("value", email).put("primary", true);
    return doc;
  }

  @Test
  @DisplayName(
      "a user's life is recorded in order: invited, confirmed, suspended, reactivated,"
          + " email change pending, deleted (kept suspended)")
  void userLifecycle() {
    StoredResource u = await(users.create(write, user("ada", "ada@example.com", true)));
    await(users.update(write, u.id(), null, cur -> user("ada", "ada@example.com", false)));
    await(users.update(write, u.id(), null, cur -> user("ada", "ada@example.com", true)));
    await(users.update(write, u.id(), null, cur -> user("ada", "ada@new.example.com", true)));
    await(users.delete(write, u.id(), null));

    List<FeedEvent> events = feed();
    assertThat(events)
        .extracting(FeedEvent::type)
        .containsExactly(
            "user.invited",
            "user.confirmed",
            "user.updated",
            "user.suspended",
            "user.updated",
            "user.reactivated",
            "user.updated",
            "user.email_change_pending",
            "user.deleted");
    assertThat(events)
        .extracting(FeedEvent::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(events.get(0).data().path("resource").path("userName").asText()).isEqualTo("ada");
    assertThat(events.get(1).data().path("reason").asText()).isEqualTo("immediate");
    assertThat(events.get(7).data().path("email").asText()).isEqualTo("ada@new.example.com");
    assertThat(events.get(8).data().path("disposition").asText()).isEqualTo("suspended");

    var account = await(AccountLifecycle.status(db, tenant.tenantId(), u.id())).orElseThrow();
    assertThat(account.status()).isEqualTo("suspended");
    assertThat(account.scimDeleted()).isTrue();
    assertThat(account.suspendReason()).isEqualTo("scim_delete");
  }

  @Test
  @DisplayName("concurrent writers of one tenant get a gap-free sequence, in commit order")
  void gapFree() {
    List<Future<StoredResource>> creates = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      creates.add(users.create(write, user("u" + i, "u" + i + "@example.com", true)));
    }
    // some fail (duplicate) and roll back their numbers
    for (int i = 0; i < 5; i++) {
      creates.add(users.create(write, user("u" + i, "dup@example.com", true)));
    }
    await(Future.join(creates).otherwiseEmpty());
    List<FeedEvent> events = feed();
    assertThat(events).hasSize(60);
    assertThat(events)
        .extracting(FeedEvent::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());
  }

  @Test
  @DisplayName("group events: created, member granted and revoked, renamed, deleted")
  void groupEvents() {
    StoredResource a = await(users.create(write, user("a", "a@example.com", true)));
    ObjectNode g = ScimJson.object();
    g.put("displayName", "Engineering");
    StoredResource group = await(groups.create(write, g, List.of(a.id())));
    await(
        groups.update(
            write,
            group.id(),
            null,
            cur -> cur.document(),
            List.of(new MemberOp.Remove(List.of(a.id()))),
            false));
    ObjectNode renamed = g.deepCopy().put("displayName", "R&D");
    await(groups.update(write, group.id(), null, cur -> renamed, List.of(), false));
    await(groups.delete(write, group.id(), null));
    assertThat(feed())
        .extracting(FeedEvent::type)
        .containsExactly(
            "user.invited",
            "user.confirmed",
            "group.created",
            "group.member.granted",
            "group.member.revoked",
            "group.renamed",
            "group.deleted");
  }
}
