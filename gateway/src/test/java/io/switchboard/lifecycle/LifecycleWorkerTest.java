package io.switchboard.lifecycle;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.feed.FeedEvent;
import io.switchboard.feed.FeedReader;
import io.switchboard.feed.TenantKeyring;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.switchboard.store.GroupStore;
import io.switchboard.store.MemberOp;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Interval confirmation and managed groups, with the tenant's settings switched live")
class LifecycleWorkerTest {
  private final TestGateway gateway = TestGateway.shared();
  private Database db;
  private UserStore users;
  private GroupStore groups;
  private TenantContext tenant;
  private WriteContext write;
  private LifecycleWorker worker;
  private long seen;

  @BeforeEach
  void setUp() {
    var t = gateway.newTenant();
    tenant = await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
    write = new WriteContext(tenant, "test");
    db = gateway.switchboard().database();
    users = new UserStore(db, Clock.systemUTC());
    groups = new GroupStore(db, Clock.systemUTC());
    var sb = gateway.switchboard();
    // a worker that never ticks by itself: the test runs its passes
    worker =
        LifecycleWorker.start(
            sb.vertx(),
            db,
            TenantKeyring.create(sb.vertx(), db, sb.sessions()),
            Duration.ofDays(1));
    seen = 0;
  }

  private void settings(JsonObject patch) {
    await(
        db.pool()
            .preparedQuery("update tenants set settings = settings || $2 where id = $1")
            .execute(Tuple.of(tenant.tenantId(), patch)));
  }

  /** Events since the last call. */
  private List<FeedEvent> newEvents() {
    List<FeedEvent> events =
        await(db.inTenant(tenant.tenantId(), c -> FeedReader.after(c, tenant.keys(), seen, 1000)));
    if (!events.isEmpty()) {
      seen = events.get(events.size() - 1).seq();
    }
    return events;
  }

  private static List<String> types(List<FeedEvent> events) {
    return events.stream().map(e -> e.type() + ":" + e.resourceId()).toList();
  }

  private StoredResource user(String name) {
    ObjectNode doc = ScimJson.object();
    doc.put("userName", name);
    return await(users.create(write, doc));
  }

  private StoredResource group(String name, UUID... members) {
    ObjectNode doc = ScimJson.object();
    doc.put("displayName", name);
    return await(groups.create(write, doc, List.of(members)));
  }

  @Test
  @DisplayName(
      "on an interval policy a new user stays invited until its time, then the"
          + " confirmer activates it once, recording when and why")
  void intervalConfirmation() {
    settings(
        new JsonObject()
            .put(
                "confirmation",
                new JsonObject().put("mode", "interval").put("intervalSeconds", 30)));
    StoredResource ada = user("ada");
    assertThat(types(newEvents())).containsExactly("user.invited:" + ada.id());
    var invited = await(AccountLifecycle.status(db, tenant.tenantId(), ada.id())).orElseThrow();
    assertThat(invited.status()).isEqualTo("invited");
    assertThat(Duration.between(invited.invitedAt(), invited.confirmAfter()).toSeconds())
        .isEqualTo(30);

    assertThat(await(worker.confirmDue())).as("not due yet").isZero();
    assertThat(newEvents()).isEmpty();

    // 30 seconds pass for this invitation
    await(
        db.inTenant(
            tenant.tenantId(),
            c ->
                c.preparedQuery(
                        "update accounts set confirm_after = now() - interval '1 second'"
                            + " where tenant_id = $1 and user_id = $2")
                    .execute(Tuple.of(tenant.tenantId(), ada.id()))));
    assertThat(await(worker.confirmDue())).isGreaterThanOrEqualTo(1);
    assertThat(await(worker.confirmDue())).as("nothing left").isZero();
    List<FeedEvent> confirmed = newEvents();
    assertThat(types(confirmed)).containsExactly("user.confirmed:" + ada.id());
    assertThat(confirmed.get(0).data().path("reason").asText()).isEqualTo("interval");
    var active = await(AccountLifecycle.status(db, tenant.tenantId(), ada.id())).orElseThrow();
    assertThat(active.status()).isEqualTo("active");
    assertThat(active.confirmedBy()).isEqualTo("interval");
    assertThat(active.confirmedAt()).isNotNull();
  }

  @Test
  @DisplayName("hardDelete=erase removes the account and the feed says erased")
  void eraseOnDelete() {
    settings(new JsonObject().put("hardDelete", "erase"));
    StoredResource ada = user("ada");
    await(users.delete(write, ada.id(), null));
    List<FeedEvent> events = newEvents();
    assertThat(events.get(events.size() - 1).type()).isEqualTo("user.deleted");
    assertThat(events.get(events.size() - 1).data().path("disposition").asText())
        .isEqualTo("erased");
    assertThat(await(AccountLifecycle.status(db, tenant.tenantId(), ada.id()))).isEmpty();
  }

  @Test
  @DisplayName(
      "managed groups switched on, widened, narrowed and off: only selected groups reach"
          + " the feed, and a newly selected group arrives with its current members")
  void managedGroups() {
    settings(
        new JsonObject()
            .put(
                "managedGroups",
                new JsonObject().put("mode", "selected").put("groups", List.of("Engineering"))));
    StoredResource ada = user("ada");
    StoredResource bob = user("bob");
    newEvents();

    StoredResource eng = group("engineering", ada.id());
    StoredResource sales = group("Sales", bob.id());
    await(
        groups.update(
            write,
            sales.id(),
            null,
            StoredResource::document,
            List.of(new MemberOp.Add(List.of(ada.id()))),
            false));
    assertThat(types(newEvents()))
        .as("the unselected group is applied nowhere downstream")
        .containsExactly("group.created:" + eng.id(), "group.member.granted:" + eng.id());
    assertThat(
            await(ManagedGroups.list(db, tenant.tenantId())).stream()
                .map(
                    o ->
                        ((JsonObject) o).getString("groupId")
                            + "="
                            + ((JsonObject) o).getBoolean("managed")))
        .containsExactlyInAnyOrder(eng.id() + "=true", sales.id() + "=false");

    // the operator selects Sales too
    settings(
        new JsonObject()
            .put(
                "managedGroups",
                new JsonObject()
                    .put("mode", "selected")
                    .put("groups", List.of("Engineering", "sales"))));
    assertThat(await(worker.reconcileChanged())).isEqualTo(1);
    assertThat(await(worker.reconcileChanged())).as("applied once").isZero();
    List<FeedEvent> managed = newEvents();
    assertThat(types(managed)).containsExactly("group.managed:" + sales.id());
    assertThat(managed.get(0).data().path("resource").path("displayName").asText())
        .isEqualTo("Sales");
    assertThat(managed.get(0).data().path("members").findValuesAsText("value"))
        .containsExactlyInAnyOrder(ada.id().toString(), bob.id().toString());

    // from now on Sales' changes flow
    await(
        groups.update(
            write,
            sales.id(),
            null,
            StoredResource::document,
            List.of(new MemberOp.Remove(List.of(bob.id()))),
            false));
    assertThat(types(newEvents())).containsExactly("group.member.revoked:" + sales.id());

    // renamed out of the selection: unmanaged in the same transaction
    ObjectNode renamed = sales.document().deepCopy().put("displayName", "Sales EMEA");
    await(groups.update(write, sales.id(), null, cur -> renamed, List.of(), false));
    assertThat(types(newEvents())).containsExactly("group.unmanaged:" + sales.id());

    // narrowed to nothing selected but Sales EMEA: Engineering leaves, Sales EMEA comes back
    settings(
        new JsonObject()
            .put(
                "managedGroups",
                new JsonObject().put("mode", "selected").put("groups", List.of("Sales EMEA"))));
    assertThat(await(worker.reconcileChanged())).isEqualTo(2);
    assertThat(types(newEvents()))
        .containsExactlyInAnyOrder("group.unmanaged:" + eng.id(), "group.managed:" + sales.id());

    // switched off (all groups): Engineering comes back with its members
    settings(new JsonObject().put("managedGroups", "all"));
    assertThat(await(worker.reconcileChanged())).isEqualTo(1);
    List<FeedEvent> back = newEvents();
    assertThat(types(back)).containsExactly("group.managed:" + eng.id());
    assertThat(back.get(0).data().path("members").findValuesAsText("value"))
        .containsExactly(ada.id().toString());
  }
}
