package io.switchboard.store;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.tenant.TenantContext;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The encrypted directory store on real PostgreSQL")
class DirectoryStoreTest {
  private final TestGateway gateway = TestGateway.shared();
  private UserStore users;
  private GroupStore groups;
  private TenantContext tenant;
  private WriteContext write;

  @BeforeEach
  void tenant() {
    TestTenant t = gateway.newTenant();
    tenant = await(gateway.switchboard().contexts().authenticate("Bearer " + t.token()));
    write = new WriteContext(tenant, "test-" + UUID.randomUUID());
    users = new UserStore(gateway.switchboard().database(), Clock.systemUTC());
    groups = new GroupStore(gateway.switchboard().database(), Clock.systemUTC());
  }

  private static ObjectNode user(String userName, String... emails) {
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
    doc.put("userName", userName);
    var arr = doc.putArray("emails");
    for (String e : emails) {
      arr.addObject().put("value", e).put("type", "work");
    }
    return doc;
  }

  private static ObjectNode group(String name) {
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Group");
    doc.put("displayName", name);
    return doc;
  }

  @Nested
  @DisplayName("users")
  class Users {
    @Test
    @DisplayName("create then get returns the same document, version 1, empty groups")
    void createGet() {
      StoredResource created = await(users.create(write, user("ada@example.com")));
      StoredResource read = await(users.get(tenant, created.id()));
      assertThat(read.document()).isEqualTo(created.document());
      assertThat(read.version()).isEqualTo(1);
      assertThat(read.created()).isEqualTo(created.created());
      assertThat(read.groups()).isEmpty();
    }

    @Test
    @DisplayName("userName is unique per tenant, case-insensitively")
    void uniqueUserName() {
      await(users.create(write, user("Ada@Example.com")));
      assertThatThrownBy(() -> await(users.create(write, user("ada@example.COM"))))
          .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    @DisplayName("lookups by userName, externalId and email go through the blind indexes")
    void indexedLookups() {
      ObjectNode doc = user("grace@example.com", "Grace.Hopper@Example.com");
      doc.put("externalId", "EXT-1");
      StoredResource created = await(users.create(write, doc));
      assertThat(
              await(users.byIndex(tenant, IndexedAttribute.USER_NAME, "GRACE@example.com", false)))
          .extracting(StoredResource::id)
          .containsExactly(created.id());
      assertThat(await(users.byIndex(tenant, IndexedAttribute.EXTERNAL_ID, "EXT-1", false)))
          .hasSize(1);
      assertThat(await(users.byIndex(tenant, IndexedAttribute.EXTERNAL_ID, "ext-1", false)))
          .as("externalId is caseExact")
          .isEmpty();
      assertThat(
              await(
                  users.byIndex(tenant, IndexedAttribute.EMAIL, "grace.hopper@example.com", false)))
          .hasSize(1);
    }

    @Test
    @DisplayName("update bumps the version, re-indexes emails, and a no-op writes nothing")
    void update() {
      StoredResource created =
          await(users.create(write, user("u1@example.com", "old@example.com")));
      StoredResource updated =
          await(
              users.update(
                  write, created.id(), 1L, cur -> user("u1@example.com", "new@example.com")));
      assertThat(updated.version()).isEqualTo(2);
      assertThat(await(users.byIndex(tenant, IndexedAttribute.EMAIL, "old@example.com", false)))
          .isEmpty();
      assertThat(await(users.byIndex(tenant, IndexedAttribute.EMAIL, "new@example.com", false)))
          .hasSize(1);
      StoredResource same = await(users.update(write, created.id(), null, cur -> cur.document()));
      assertThat(same.version()).isEqualTo(2);
    }

    @Test
    @DisplayName("If-Match with a stale version is 412 and changes nothing")
    void staleIfMatch() {
      StoredResource created = await(users.create(write, user("u2@example.com")));
      assertThatThrownBy(
              () ->
                  await(users.update(write, created.id(), 7L, cur -> user("changed@example.com"))))
          .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(412));
      assertThat(await(users.get(tenant, created.id())).document().get("userName").asText())
          .isEqualTo("u2@example.com");
    }

    @Test
    @DisplayName("delete removes the user and its memberships; deleting again is 404")
    void delete() {
      StoredResource u = await(users.create(write, user("gone@example.com")));
      StoredResource g = await(groups.create(write, group("G"), List.of(u.id())));
      await(users.delete(write, u.id(), null));
      assertThat(await(groups.get(tenant, g.id(), true)).members()).isEmpty();
      assertThatThrownBy(() -> await(users.delete(write, u.id(), null)))
          .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(404));
      assertThat(await(users.create(write, user("gone@example.com"))).id())
          .as("the userName is free again")
          .isNotEqualTo(u.id());
    }
  }

  @Nested
  @DisplayName("groups and membership")
  class Groups {
    @Test
    @DisplayName("members are added, removed and replaced set-wise, with displays from the members")
    void membership() {
      List<UUID> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ObjectNode u = user("m" + i + "@example.com");
        u.put("displayName", "Member " + i);
        ids.add(await(users.create(write, u)).id());
      }
      StoredResource g = await(groups.create(write, group("Engineering"), ids.subList(0, 2)));
      assertThat(g.members())
          .extracting(MemberRef::id)
          .containsExactlyInAnyOrderElementsOf(ids.subList(0, 2));
      assertThat(g.members()).extracting(MemberRef::display).contains("Member 0");

      StoredResource after =
          await(
              groups.update(
                  write,
                  g.id(),
                  null,
                  cur -> cur.document(),
                  List.of(
                      new MemberOp.Add(ids.subList(2, 5)),
                      new MemberOp.Remove(List.of(ids.get(0)))),
                  true));
      assertThat(after.version()).isEqualTo(2);
      assertThat(after.members())
          .extracting(MemberRef::id)
          .containsExactlyInAnyOrderElementsOf(ids.subList(1, 5));

      StoredResource replaced =
          await(
              groups.update(
                  write,
                  g.id(),
                  null,
                  cur -> cur.document(),
                  List.of(new MemberOp.Replace(List.of(ids.get(4)))),
                  true));
      assertThat(replaced.members()).extracting(MemberRef::id).containsExactly(ids.get(4));
      assertThat(await(users.get(tenant, ids.get(4))).groups())
          .extracting(MemberRef::display)
          .containsExactly("Engineering");
    }

    @Test
    @DisplayName("adding a member that does not exist in this tenant is 400 and adds nothing")
    void unknownMember() {
      UUID real = await(users.create(write, user("real@example.com"))).id();
      StoredResource g = await(groups.create(write, group("Ops"), List.of()));
      assertThatThrownBy(
              () ->
                  await(
                      groups.update(
                          write,
                          g.id(),
                          null,
                          cur -> cur.document(),
                          List.of(new MemberOp.Add(List.of(real, UUID.randomUUID()))),
                          true)))
          .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(400));
      assertThat(await(groups.get(tenant, g.id(), true)).members()).isEmpty();
    }

    @Test
    @DisplayName("displayName is unique per tenant, case-insensitively")
    void uniqueDisplayName() {
      await(groups.create(write, group("Sales"), List.of()));
      assertThatThrownBy(() -> await(groups.create(write, group("SALES"), List.of())))
          .isInstanceOfSatisfying(ScimException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    @DisplayName("a rename shows up in the members' groups and in other groups' member lists")
    void renameFollows() {
      UUID u = await(users.create(write, user("r@example.com"))).id();
      StoredResource inner = await(groups.create(write, group("Inner"), List.of(u)));
      StoredResource outer = await(groups.create(write, group("Outer"), List.of(inner.id())));
      await(
          groups.update(write, inner.id(), null, cur -> group("Inner Renamed"), List.of(), false));
      assertThat(await(users.get(tenant, u)).groups())
          .extracting(MemberRef::display)
          .containsExactly("Inner Renamed");
      assertThat(await(groups.get(tenant, outer.id(), true)).members())
          .extracting(MemberRef::display, MemberRef::type)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("Inner Renamed", "Group"));
    }

    @Test
    @DisplayName("a replace removing most of a group is flagged in the audit log")
    void massRemovalWarning() {
      List<UUID> ids =
          IntStream.range(0, 6)
              .mapToObj(i -> await(users.create(write, user("w" + i + "@example.com"))).id())
              .toList();
      StoredResource g = await(groups.create(write, group("Big"), ids));
      await(
          groups.update(
              write,
              g.id(),
              null,
              cur -> cur.document(),
              List.of(new MemberOp.Replace(List.of(ids.get(0)))),
              false));
      long warnings =
          await(
              gateway
                  .switchboard()
                  .database()
                  .inTenant(
                      tenant.tenantId(),
                      conn ->
                          conn.preparedQuery(
                                  "select count(*) from audit_log where action ="
                                      + " 'scim.group.members.mass_removal'")
                              .execute()
                              .map(r -> r.iterator().next().getLong(0))));
      assertThat(warnings).isEqualTo(1);
    }
  }
}
