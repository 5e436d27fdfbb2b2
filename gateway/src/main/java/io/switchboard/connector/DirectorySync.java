package io.switchboard.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.MemberRef;
import io.switchboard.store.ResourceKind;
import io.switchboard.store.StoredResource;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Brings a tenant's directory in line with a {@link SourceSnapshot}, the same way for every pull
 * connector: users first (create, update, adopt an existing user of the same userName), then the
 * selected groups (create, rename, set members), then removals (users no longer in scope are
 * suspended or deleted per policy; groups no longer selected are deleted). Only resources the
 * connector manages are ever suspended or deleted.
 *
 * <p>It plans from what it read, then applies only the differences, a bounded number at a time. A
 * second run with no change in the source applies nothing. A failed change does not stop the
 * others; the run then fails with {@code directory_write} and the next run applies what is left.
 *
 * <p>Usage: {@code DirectorySync.run(snapshot, writer, RemovalPolicy.SUSPEND, 8)}.
 */
public final class DirectorySync {
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  private static final List<String> USER_FIELDS =
      List.of("schemas", "userName", "externalId", "name", "displayName", "emails", "active");
  private static final List<String> GROUP_FIELDS = List.of("schemas", "displayName", "externalId");

  /** What happens to a managed user who is no longer in scope. */
  public enum RemovalPolicy {
    SUSPEND("suspend"),
    DELETE("delete");

    private final String wireName;

    RemovalPolicy(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static RemovalPolicy parse(String value) {
      for (RemovalPolicy p : values()) {
        if (p.wireName.equals(value)) {
          return p;
        }
      }
      throw new IllegalArgumentException("removal policy must be suspend or delete");
    }
  }

  private final SourceSnapshot source;
  private final DirectoryWriter dir;
  private final RemovalPolicy policy;
  private final int parallelism;
  private final SyncCounts counts = new SyncCounts();
  private final Map<String, UUID> userIds = new ConcurrentHashMap<>();
  private final Set<UUID> createdUsers = ConcurrentHashMap.newKeySet();
  private final Set<UUID> createdGroups = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

  private DirectorySync(
      SourceSnapshot source, DirectoryWriter dir, RemovalPolicy policy, int parallelism) {
    this.source = source;
    this.dir = dir;
    this.policy = policy;
    this.parallelism = Math.max(1, parallelism);
  }

  /** Applies the snapshot; the counts are returned even when some changes failed. */
  public static Future<Result> run(
      SourceSnapshot source, DirectoryWriter dir, RemovalPolicy policy, int parallelism) {
    DirectorySync sync = new DirectorySync(source, dir, policy, parallelism);
    return sync.run();
  }

  /** The counts, and the failure when some changes could not be applied. */
  public record Result(SyncCounts counts, int failedChanges, Throwable firstFailure) {
    public boolean complete() {
      return failedChanges == 0;
    }
  }

  private Future<Result> run() {
    counts.sourceUsers.set(source.users().size());
    counts.sourceGroups.set(source.groups().size());
    return dir.managedUsers()
        .compose(
            managedUsers ->
                dir.managedGroups()
                    .compose(
                        managedGroups ->
                            syncUsers(managedUsers)
                                .compose(v -> mark(ResourceKind.USER, createdUsers))
                                .compose(v -> syncGroups(managedGroups))
                                .compose(v -> mark(ResourceKind.GROUP, createdGroups))
                                .compose(v -> removeUsers(managedUsers))))
        .map(v -> new Result(counts, failures.get(), firstFailure.get()));
  }

  // ---- users

  private Future<Void> syncUsers(List<StoredResource> managed) {
    Map<String, StoredResource> byExternalId = byExternalId(managed);
    List<Supplier<Future<?>>> changes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SourceSnapshot.User u : source.users()) {
      if (!seen.add(u.sourceId())) {
        continue;
      }
      ObjectNode desired = userDocument(u);
      StoredResource existing = byExternalId.get(u.sourceId());
      if (existing != null) {
        userIds.put(u.sourceId(), existing.id());
        if (!sameFields(existing.document(), desired, USER_FIELDS)) {
          changes.add(
              () ->
                  dir.replaceUser(existing.id(), merge(existing.document(), desired, USER_FIELDS))
                      .onSuccess(r -> counts.usersUpdated.incrementAndGet()));
        }
      } else {
        changes.add(() -> createOrAdoptUser(u, desired));
      }
    }
    return applyAll(changes);
  }

  private Future<?> createOrAdoptUser(SourceSnapshot.User u, ObjectNode desired) {
    return dir.createUser(desired)
        .map(
            created -> {
              userIds.put(u.sourceId(), created.id());
              createdUsers.add(created.id());
              counts.usersCreated.incrementAndGet();
              return created;
            })
        .recover(
            err -> {
              if (!isConflict(err)) {
                return Future.failedFuture(err);
              }
              // someone (an earlier, interrupted sync or an IdP push) holds the userName
              return dir.userByUserName(u.userName())
                  .compose(
                      found -> {
                        if (found.isEmpty() || !adoptable(found.get().document(), u.sourceId())) {
                          counts.usersConflicting.incrementAndGet();
                          return Future.succeededFuture();
                        }
                        StoredResource existing = found.get();
                        return dir.replaceUser(
                                existing.id(), merge(existing.document(), desired, USER_FIELDS))
                            .map(
                                r -> {
                                  userIds.put(u.sourceId(), existing.id());
                                  counts.usersAdopted.incrementAndGet();
                                  return r;
                                });
                      });
            });
  }

  private Future<Void> removeUsers(List<StoredResource> managed) {
    Set<String> inScope = new HashSet<>();
    source.users().forEach(u -> inScope.add(u.sourceId()));
    List<Supplier<Future<?>>> changes = new ArrayList<>();
    for (StoredResource user : managed) {
      String ext = text(user.document(), "externalId");
      if (ext == null || inScope.contains(ext)) {
        continue;
      }
      if (policy == RemovalPolicy.DELETE) {
        changes.add(
            () -> dir.deleteUser(user.id()).onSuccess(v -> counts.usersDeleted.incrementAndGet()));
      } else if (user.document().path("active").asBoolean(true)) {
        ObjectNode suspended = user.document().deepCopy();
        suspended.put("active", false);
        changes.add(
            () ->
                dir.replaceUser(user.id(), suspended)
                    .onSuccess(v -> counts.usersSuspended.incrementAndGet()));
      }
    }
    return applyAll(changes);
  }

  // ---- groups

  private Future<Void> syncGroups(List<StoredResource> managed) {
    Map<String, StoredResource> byExternalId = byExternalId(managed);
    Set<String> selected = new HashSet<>();
    List<Supplier<Future<?>>> changes = new ArrayList<>();
    for (SourceSnapshot.Group g : source.groups()) {
      if (!selected.add(g.sourceId())) {
        continue;
      }
      ObjectNode desired = groupDocument(g);
      StoredResource existing = byExternalId.get(g.sourceId());
      if (existing != null) {
        changes.add(() -> updateGroup(existing, desired, g));
      } else {
        changes.add(() -> createOrAdoptGroup(g, desired));
      }
    }
    for (StoredResource group : managed) {
      String ext = text(group.document(), "externalId");
      if (ext != null && !selected.contains(ext)) {
        changes.add(
            () ->
                dir.deleteGroup(group.id()).onSuccess(v -> counts.groupsDeleted.incrementAndGet()));
      }
    }
    return applyAll(changes);
  }

  private Future<?> updateGroup(
      StoredResource existing, ObjectNode desired, SourceSnapshot.Group g) {
    Future<?> doc =
        sameFields(existing.document(), desired, GROUP_FIELDS)
            ? Future.succeededFuture()
            : dir.replaceGroup(existing.id(), merge(existing.document(), desired, GROUP_FIELDS))
                .onSuccess(r -> counts.groupsUpdated.incrementAndGet());
    ObjectNode next = merge(existing.document(), desired, GROUP_FIELDS);
    return doc.compose(v -> syncMembers(existing.id(), next, existing.members(), g));
  }

  private Future<?> createOrAdoptGroup(SourceSnapshot.Group g, ObjectNode desired) {
    return dir.createGroup(desired)
        .map(
            created -> {
              createdGroups.add(created.id());
              counts.groupsCreated.incrementAndGet();
              return created;
            })
        .recover(
            err -> {
              if (!isConflict(err)) {
                return Future.failedFuture(err);
              }
              return dir.groupByDisplayName(g.displayName())
                  .compose(
                      found -> {
                        if (found.isEmpty() || !adoptable(found.get().document(), g.sourceId())) {
                          return Future.failedFuture(
                              new ConnectorException(
                                  ConnectorException.DIRECTORY_WRITE,
                                  "A group with the same name, not managed by the connector,"
                                      + " exists."));
                        }
                        StoredResource existing = found.get();
                        return dir.replaceGroup(
                            existing.id(), merge(existing.document(), desired, GROUP_FIELDS));
                      });
            })
        .compose(group -> syncMembers(group.id(), group.document(), group.members(), g));
  }

  private Future<?> syncMembers(
      UUID groupId, ObjectNode document, List<MemberRef> current, SourceSnapshot.Group g) {
    Set<UUID> desired = new HashSet<>();
    for (String sourceUser : g.memberUserIds()) {
      UUID id = userIds.get(sourceUser);
      if (id != null) {
        desired.add(id);
      }
    }
    Set<UUID> now = new HashSet<>();
    if (current != null) {
      current.forEach(m -> now.add(m.id()));
    }
    if (desired.equals(now)) {
      return Future.succeededFuture();
    }
    Set<UUID> added = new HashSet<>(desired);
    added.removeAll(now);
    Set<UUID> removed = new HashSet<>(now);
    removed.removeAll(desired);
    return dir.setMembers(groupId, document, desired)
        .onSuccess(v -> counts.membershipsChanged.addAndGet(added.size() + removed.size()));
  }

  // ---- mapping

  static ObjectNode userDocument(SourceSnapshot.User u) {
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas").add(USER_SCHEMA);
    doc.put("userName", u.userName());
    doc.put("externalId", u.sourceId());
    ObjectNode name = doc.putObject("name");
    if (u.givenName() != null) {
      name.put("givenName", u.givenName());
    }
    if (u.familyName() != null) {
      name.put("familyName", u.familyName());
    }
    if (u.displayName() != null) {
      name.put("formatted", u.displayName());
      doc.put("displayName", u.displayName());
    }
    ArrayNode emails = doc.putArray("emails");
    boolean first = true;
    for (String e : u.emails()) {
      ObjectNode email = emails.addObject().put("value", e).put("type", "work");
      if (first) {
        email.put("primary", true);
        first = false;
      }
    }
    doc.put("active", u.active());
    return doc;
  }

  static ObjectNode groupDocument(SourceSnapshot.Group g) {
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas").add(GROUP_SCHEMA);
    doc.put("displayName", g.displayName());
    doc.put("externalId", g.sourceId());
    return doc;
  }

  private static boolean sameFields(ObjectNode current, ObjectNode desired, List<String> fields) {
    for (String f : fields) {
      JsonNode a = current.get(f);
      JsonNode b = desired.get(f);
      if (a == null ? b != null : !a.equals(b)) {
        return false;
      }
    }
    return true;
  }

  private static ObjectNode merge(ObjectNode current, ObjectNode desired, List<String> fields) {
    ObjectNode next = current.deepCopy();
    for (String f : fields) {
      JsonNode v = desired.get(f);
      if (v == null) {
        next.remove(f);
      } else {
        next.set(f, v.deepCopy());
      }
    }
    return next;
  }

  /** An existing resource may be taken over if it carries no externalId or this one. */
  private static boolean adoptable(ObjectNode doc, String sourceId) {
    String ext = text(doc, "externalId");
    return ext == null || ext.isEmpty() || ext.equals(sourceId);
  }

  private static Map<String, StoredResource> byExternalId(List<StoredResource> resources) {
    Map<String, StoredResource> out = new HashMap<>();
    for (StoredResource r : resources) {
      String ext = text(r.document(), "externalId");
      if (ext != null) {
        out.put(ext, r);
      }
    }
    return out;
  }

  private static String text(ObjectNode doc, String field) {
    JsonNode v = doc.get(field);
    return v == null || !v.isTextual() ? null : v.asText();
  }

  private static boolean isConflict(Throwable err) {
    return err instanceof ScimException e && e.status() == 409;
  }

  // ---- bounded application

  private Future<Void> mark(ResourceKind kind, Set<UUID> ids) {
    List<UUID> all = new ArrayList<>(ids);
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < all.size(); i += 1000) {
      List<UUID> chunk = all.subList(i, Math.min(all.size(), i + 1000));
      chain = chain.compose(v -> dir.markManaged(kind, chunk));
    }
    return chain;
  }

  private Future<Void> applyAll(List<Supplier<Future<?>>> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> workers = new ArrayList<>();
    for (int i = 0; i < Math.min(parallelism, changes.size()); i++) {
      workers.add(worker(changes, next));
    }
    return Future.all(workers).mapEmpty();
  }

  private Future<Void> worker(List<Supplier<Future<?>>> changes, AtomicInteger next) {
    int i = next.getAndIncrement();
    if (i >= changes.size()) {
      return Future.succeededFuture();
    }
    Future<?> change;
    try {
      change = changes.get(i).get();
    } catch (RuntimeException e) {
      change = Future.failedFuture(e);
    }
    return change
        .<Void>transform(
            ar -> {
              if (ar.failed()) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, ar.cause());
              }
              return Future.succeededFuture();
            })
        .compose(v -> worker(changes, next));
  }
}
