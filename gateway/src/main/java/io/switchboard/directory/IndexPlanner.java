package io.switchboard.directory;

import io.switchboard.scim.ScimException;
import io.switchboard.scim.filter.CompiledFilter;
import io.switchboard.scim.filter.Equality;
import io.switchboard.scim.query.ListQuery;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.store.GroupStore;
import io.switchboard.store.IndexedAttribute;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.tenant.TenantContext;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Chooses how to find the candidates for a filter: a blind-index lookup when the filter requires
 * {@code eq} on an indexed attribute (what IdPs send: {@code userName eq}, {@code externalId eq},
 * {@code emails.value eq}, group {@code displayName eq}, {@code id eq}, Entra's {@code id eq "G"
 * and members eq "U"}), otherwise a bounded scan of the tenant. The caller still evaluates the
 * whole filter on every candidate, so a lookup only narrows, never decides.
 *
 * <p>Usage: {@code planner.candidates(tenant, ResourceType.USER, query.compileFilter(type), true)}.
 */
final class IndexPlanner {
  private final UserStore users;
  private final GroupStore groups;
  private final int scanLimit;

  IndexPlanner(UserStore users, GroupStore groups, int scanLimit) {
    this.users = users;
    this.groups = groups;
    this.scanLimit = scanLimit;
  }

  Future<List<StoredResource>> candidatesAll(TenantContext t, ResourceType type, ListQuery query) {
    Optional<CompiledFilter> filter = query.compileFilter(type);
    return candidates(t, type, filter, true);
  }

  Future<List<StoredResource>> candidates(
      TenantContext t, ResourceType type, Optional<CompiledFilter> filter, boolean withEdges) {
    // membership must be loaded whenever the filter looks at it
    boolean edges =
        withEdges
            || filter
                .map(
                    f ->
                        f.referencedAttributes().stream()
                            .anyMatch(a -> a.startsWith("members") || a.startsWith("groups")))
                .orElse(false);
    List<Equality> equalities = filter.map(CompiledFilter::equalities).orElse(List.of());
    UUID byId = null;
    UUID member = null;
    for (Equality e : equalities) {
      if (e.path().equals("id")) {
        byId = Directory.uuidOrNull(e.value());
        if (byId == null) {
          return Future.succeededFuture(List.of());
        }
      } else if (e.path().equals("members.value") && type == ResourceType.GROUP) {
        member = Directory.uuidOrNull(e.value());
        if (member == null) {
          return Future.succeededFuture(List.of());
        }
      }
    }
    if (byId != null) {
      List<UUID> ids = List.of(byId);
      if (type == ResourceType.USER) {
        return users.byIds(t, ids, edges);
      }
      if (member != null) {
        // Entra's membership probe: answer from the membership table, not the member list
        UUID memberId = member;
        return groups
            .groupsHavingMember(t, memberId, ids)
            .compose(
                found ->
                    found.isEmpty()
                        ? Future.succeededFuture(List.<StoredResource>of())
                        : groups.byIds(t, found, edges));
      }
      return groups.byIds(t, ids, edges);
    }
    for (Equality e : equalities) {
      IndexedAttribute attribute = indexed(type, e.path());
      if (attribute != null) {
        return type == ResourceType.USER
            ? users.byIndex(t, attribute, e.value(), edges)
            : groups.byIndex(t, attribute, e.value(), edges);
      }
    }
    Future<List<StoredResource>> scanned =
        type == ResourceType.USER
            ? users.scan(t, scanLimit + 1, edges)
            : groups.scan(t, scanLimit + 1, edges);
    return scanned.map(
        list -> {
          if (list.size() > scanLimit) {
            throw ScimException.tooMany(
                "This query would evaluate more than "
                    + scanLimit
                    + " resources; add an eq filter on userName, externalId, emails.value,"
                    + " displayName or id.");
          }
          return list;
        });
  }

  private static IndexedAttribute indexed(ResourceType type, String path) {
    switch (path) {
      case "userName":
        return type == ResourceType.USER ? IndexedAttribute.USER_NAME : null;
      case "externalId":
        return IndexedAttribute.EXTERNAL_ID;
      case "emails.value":
        return type == ResourceType.USER ? IndexedAttribute.EMAIL : null;
      case "displayName":
        return type == ResourceType.GROUP ? IndexedAttribute.DISPLAY_NAME : null;
      default:
        return null;
    }
  }
}
