package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.Database;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestGateway;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Feed retention: old events are pruned as a prefix, never before webhooks had them")
class FeedRetentionTest {
  private static final Duration KEEP = Duration.ofDays(30);
  private final TestGateway gateway = TestGateway.shared();
  private final Database db = gateway.switchboard().database();
  private TenantContext tenant;
  private FeedRetention retention;
  private Webhooks webhooks;

  @BeforeEach
  void tenantWithOldEvents() {
    var t = gateway.newTenant();
    tenant = await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
    UserStore users = new UserStore(db, Clock.systemUTC());
    WriteContext w = new WriteContext(tenant, "retention");
    for (int i = 0; i < 5; i++) { // 10 events: user.invited and user.confirmed each
      ObjectNode doc = ScimJson.object();
      doc.put("userName", "u" + i);
      await(users.create(w, doc));
    }
    // events 1..6 are 40 days old; 7..10 are new
    sql(
        "update provisioning_events set created_at = now() - interval '40 days'"
            + " where tenant_id = $1 and seq <= 6");
    // small batches, so a prune takes several transactions
    retention = FeedRetention.create(gateway.vertx(), db, KEEP, Duration.ofHours(1), 4);
    var sb = gateway.switchboard();
    webhooks =
        new Webhooks(
            db,
            TenantKeyring.create(sb.vertx(), db, sb.sessions()),
            WebhookTargets.create(sb.vertx(), true));
  }

  private void sql(String statement, Object... more) {
    Object[] args = new Object[more.length + 1];
    args[0] = tenant.tenantId();
    System.arraycopy(more, 0, args, 1, more.length);
    await(
        db.inTenant(tenant.tenantId(), c -> c.preparedQuery(statement).execute(Tuple.from(args))));
  }

  private long prune() {
    return await(retention.prune(tenant.tenantId(), Instant.now().minus(KEEP)));
  }

  private List<Long> feed() {
    return await(db.inTenant(tenant.tenantId(), c -> FeedReader.after(c, tenant.keys(), 0, 100)))
        .stream()
        .map(FeedEvent::seq)
        .toList();
  }

  private long pruned() {
    return await(
        db.inTenant(tenant.tenantId(), c -> FeedRetention.prunedSeq(c, tenant.tenantId())));
  }

  private UUID endpoint() {
    var created = await(webhooks.create(tenant.tenantId(), "https://93.184.215.14/x", "", true));
    return UUID.fromString(created.endpoint().getString("id"));
  }

  @Test
  @DisplayName("events older than the retention go, in batches; the rest stay gap-free")
  void prunesOldPrefix() {
    assertThat(prune()).isEqualTo(6);
    assertThat(feed()).containsExactly(7L, 8L, 9L, 10L);
    assertThat(pruned()).isEqualTo(6);
    assertThat(prune()).isZero();
  }

  @Test
  @DisplayName(
      "an event an endpoint has not had yet stays, and so does everything from a dead letter or"
          + " a pending redelivery on")
  void webhooksHoldBack() {
    UUID hook = endpoint(); // from the start: it has had nothing yet
    assertThat(prune()).isZero();
    assertThat(feed()).hasSize(10);

    sql("update webhook_endpoints set delivered_seq = 4 where tenant_id = $1 and id = $2", hook);
    assertThat(prune()).isEqualTo(4);
    assertThat(pruned()).isEqualTo(4);

    sql("update webhook_endpoints set delivered_seq = 10 where tenant_id = $1 and id = $2", hook);
    sql(
        "insert into webhook_deliveries (tenant_id, endpoint_id, seq, status, attempts)"
            + " values ($1, $2, 6, 'dead_letter', 18)",
        hook);
    assertThat(prune()).as("5 goes, the dead letter 6 stays").isEqualTo(1);
    assertThat(feed()).containsExactly(6L, 7L, 8L, 9L, 10L);

    sql(
        "update webhook_deliveries set status = 'redeliver' where tenant_id = $1"
            + " and endpoint_id = $2",
        hook);
    assertThat(prune()).isZero();
    sql(
        "update webhook_deliveries set status = 'delivered' where tenant_id = $1"
            + " and endpoint_id = $2",
        hook);
    assertThat(prune()).isEqualTo(1);
    assertThat(feed()).containsExactly(7L, 8L, 9L, 10L);
  }

  @Test
  @DisplayName(
      "the periodic pass finds the tenant by itself, and a new endpoint from the start begins at"
          + " the oldest kept event")
  void periodicPass() {
    assertThat(await(retention.runOnce())).isGreaterThanOrEqualTo(6);
    assertThat(pruned()).isEqualTo(6);
    assertThat(feed()).containsExactly(7L, 8L, 9L, 10L);
    UUID hook = endpoint();
    assertThat(await(webhooks.get(tenant.tenantId(), hook)).orElseThrow().getLong("deliveredSeq"))
        .isEqualTo(6);
  }
}
