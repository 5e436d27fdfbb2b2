package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.AccountGroups;
import io.switchboard.store.Database;
import io.switchboard.store.GroupStore;
import io.switchboard.store.MemberOp;
import io.switchboard.store.MemberRef;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.store.WriteContext;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestGateway;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A consumer rebuilds a tenant's directory exactly from the feed alone (store level)")
class FeedRebuildTest {
  private final TestGateway gateway = TestGateway.shared();

  @Test
  @DisplayName(
      "after 300 random changes the replica equals the store, user for user, member for"
          + " member")
  void rebuild() {
    var t = gateway.newTenant();
    TenantContext tenant =
        await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
    WriteContext w = new WriteContext(tenant, "rebuild");
    Database db = gateway.switchboard().database();
    UserStore users = new UserStore(db, Clock.systemUTC());
    GroupStore groups = new GroupStore(db, Clock.systemUTC());
    Random random = new Random(7);
    List<UUID> userIds = new ArrayList<>();
    List<UUID> groupIds = new ArrayList<>();
    java.util.Map<UUID, String> names = new java.util.HashMap<>();
    List<String> deletedNames = new ArrayList<>();
    int relinked = 0;
    for (int step = 0; step < 300; step++) {
      int op = random.nextInt(10);
      if (op < 3 || userIds.isEmpty()) {
        ObjectNode doc = ScimJson.object();
        doc.put("userName", "u" + step);
        doc.put("active", random.nextBoolean());
        doc.putArray("emails").addObject().put("value", "u" + step + "@example.com");
        userIds.add(await(users.create(w, doc)).id());
      } else if (op == 3) {
        UUID id = userIds.get(random.nextInt(userIds.size()));
        boolean active = random.nextBoolean();
        await(
            users.update(
                w,
                id,
                null,
                cur -> {
                  ObjectNode next = cur.document().deepCopy();
                  next.put("active", active);
                  if (active) {
                    next.withArray("emails").removeAll();
                    next.withArray("emails").addObject().put("value", UUID.randomUUID() + "@x.org");
                  }
                  return next;
                }));
      } else if (op == 4 && userIds.size() > 3) {
        await(users.delete(w, userIds.remove(random.nextInt(userIds.size())), null));
      } else if (op == 5 || groupIds.isEmpty()) {
        // a deleted group's name again: the account kept the group, so this links to it
        boolean again = !deletedNames.isEmpty() && random.nextBoolean();
        String name = again ? deletedNames.remove(random.nextInt(deletedNames.size())) : "g" + step;
        relinked += again ? 1 : 0;
        ObjectNode doc = ScimJson.object();
        doc.put("displayName", name);
        UUID created = await(groups.create(w, doc, pick(random, userIds, 3))).id();
        groupIds.add(created);
        names.put(created, name);
      } else if (op == 6) {
        UUID g = groupIds.get(random.nextInt(groupIds.size()));
        await(
            groups.update(
                w,
                g,
                null,
                StoredResource::document,
                List.of(new MemberOp.Add(pick(random, userIds, 4))),
                false));
      } else if (op == 7) {
        UUID g = groupIds.get(random.nextInt(groupIds.size()));
        await(
            groups.update(
                w,
                g,
                null,
                StoredResource::document,
                List.of(new MemberOp.Remove(pick(random, userIds, 4))),
                false));
      } else if (op == 8) {
        UUID g = groupIds.get(random.nextInt(groupIds.size()));
        String name = "renamed-" + step;
        await(
            groups.update(
                w,
                g,
                null,
                cur -> cur.document().deepCopy().put("displayName", name),
                List.of(new MemberOp.Replace(pick(random, userIds, 2))),
                false));
        names.put(g, name);
      } else if (groupIds.size() > 2) {
        UUID gone = groupIds.remove(random.nextInt(groupIds.size()));
        await(groups.delete(w, gone, null));
        deletedNames.add(names.remove(gone));
      }
    }

    DirectoryReplica replica = new DirectoryReplica();
    long cursor = 0;
    while (true) {
      long after = cursor;
      List<FeedEvent> page =
          await(db.inTenant(tenant.tenantId(), c -> FeedReader.after(c, tenant.keys(), after, 50)));
      if (page.isEmpty()) {
        break;
      }
      page.forEach(e -> replica.apply(e.toJson()));
      cursor = page.get(page.size() - 1).seq();
    }

    List<StoredResource> storeUsers = await(users.scan(tenant, 10_000, false));
    List<StoredResource> storeGroups = await(groups.scan(tenant, 10_000, true));
    assertThat(replica.users.keySet())
        .containsExactlyInAnyOrderElementsOf(
            storeUsers.stream().map(u -> u.id().toString()).toList());
    for (StoredResource u : storeUsers) {
      assertThat(replica.users.get(u.id().toString())).isEqualTo(u.document());
    }
    assertThat(replica.groups.keySet())
        .containsExactlyInAnyOrderElementsOf(
            storeGroups.stream().map(g -> g.id().toString()).toList());
    for (StoredResource g : storeGroups) {
      assertThat(replica.groups.get(g.id().toString())).isEqualTo(g.document());
      Set<String> expected =
          g.members().stream().map(MemberRef::id).map(UUID::toString).collect(Collectors.toSet());
      assertThat(replica.members.get(g.id().toString())).isEqualTo(expected);
    }
    assertThat(storeGroups).as("the scenario leaves groups with members").isNotEmpty();
    assertThat(relinked).as("the scenario re-creates deleted groups' names").isPositive();
    // every SCIM group's account group, as the account groups table has it, is the replica's
    java.util.Map<String, String> bound = new java.util.HashMap<>();
    for (Object o : await(AccountGroups.list(db, tenant.keys()))) {
      var ag = (io.vertx.core.json.JsonObject) o;
      if (ag.getString("scimGroupId") != null) {
        bound.put(ag.getString("scimGroupId"), ag.getString("id"));
      }
    }
    assertThat(replica.accountGroups).isEqualTo(bound);
  }

  private static List<UUID> pick(Random random, List<UUID> from, int n) {
    List<UUID> out = new ArrayList<>();
    for (int i = 0; i < n && !from.isEmpty(); i++) {
      out.add(from.get(random.nextInt(from.size())));
    }
    return out;
  }
}
