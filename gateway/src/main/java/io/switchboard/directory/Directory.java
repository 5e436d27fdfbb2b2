package io.switchboard.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.http.ResourceRenderer;
import io.switchboard.http.ScimRequest;
import io.switchboard.http.ScimResponse;
import io.switchboard.scim.ListResponse;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.filter.CompiledFilter;
import io.switchboard.scim.patch.MemberChange;
import io.switchboard.scim.patch.PatchEngine;
import io.switchboard.scim.patch.PatchOperation;
import io.switchboard.scim.patch.PatchPlan;
import io.switchboard.scim.patch.PatchRequest;
import io.switchboard.scim.query.ListQuery;
import io.switchboard.scim.query.Projection;
import io.switchboard.scim.resource.ResourceValidator;
import io.switchboard.scim.resource.ValidatedResource;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.store.GroupStore;
import io.switchboard.store.MemberOp;
import io.switchboard.store.StoredResource;
import io.switchboard.store.UserStore;
import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantSettings;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SCIM operations on one tenant's directory (RFC 7644 §3.3–§3.6): validates with the protocol
 * engine, applies through the encrypted stores, and renders what the client sees. Every method
 * answers a {@link ScimResponse} or fails with a {@link ScimException}; nothing here knows HTTP.
 *
 * <p>Usage: {@code directory.create(request, ResourceType.USER, body)}.
 */
public final class Directory {
  /** The most resources one non-indexed query may decrypt and evaluate (documented limit). */
  public static final int SCAN_LIMIT = 100_000;

  private final UserStore users;
  private final GroupStore groups;
  private final ServiceLimits limits;
  private final IndexPlanner planner;

  public Directory(UserStore users, GroupStore groups, ServiceLimits limits, int scanLimit) {
    this.users = users;
    this.groups = groups;
    this.limits = limits;
    this.planner = new IndexPlanner(users, groups, scanLimit);
  }

  public ServiceLimits limits() {
    return limits;
  }

  // ---- create (RFC 7644 §3.3)

  public Future<ScimResponse> create(ScimRequest req, ResourceType type, JsonNode body) {
    ValidatedResource valid = ResourceValidator.forCreate(body, type);
    Future<StoredResource> created =
        type == ResourceType.USER
            ? users.create(req.write(), valid.document()).map(u -> u.withGroups(List.of()))
            : groups.create(req.write(), valid.document(), memberIds(valid));
    return created.map(r -> resourceResponse(req, r, 201));
  }

  // ---- read (RFC 7644 §3.4.1)

  public Future<ScimResponse> get(ScimRequest req, ResourceType type, String rawId) {
    UUID id = parseId(type, rawId);
    Projection projection = ListQuery.parse(req.query(), limits).projection(type);
    return load(req.tenant(), type, id, projection)
        .map(
            r -> {
              if (r.etag().equals(req.ifNoneMatch())) {
                return new ScimResponse(304, null, null, r.etag());
              }
              return new ScimResponse(
                  200,
                  projection.apply(ResourceRenderer.render(r, req.baseUrl())),
                  ResourceRenderer.location(req.baseUrl(), r),
                  r.etag());
            });
  }

  // ---- replace (RFC 7644 §3.5.1)

  public Future<ScimResponse> replace(
      ScimRequest req, ResourceType type, String rawId, JsonNode body) {
    UUID id = parseId(type, rawId);
    Long ifMatch = ifMatch(req);
    if (type == ResourceType.USER) {
      return users
          .update(
              req.write(),
              id,
              ifMatch,
              current -> ResourceValidator.forReplace(body, current.document(), type).document())
          .map(u -> resourceResponse(req, u, 200));
    }
    // members are validated up front so a bad member list fails before any write. PUT replaces
    // the whole resource (RFC 7644 §3.5.1): a body without "members" empties the group (and a
    // replace that removes most of a group is flagged in the audit log)
    ValidatedResource probe = ResourceValidator.forCreate(body, type);
    List<MemberOp> ops =
        List.of(new MemberOp.Replace(probe.members().map(Directory::toIds).orElse(List.of())));
    return groups
        .update(
            req.write(),
            id,
            ifMatch,
            current -> ResourceValidator.forReplace(body, current.document(), type).document(),
            ops,
            true)
        .map(g -> resourceResponse(req, g, 200));
  }

  // ---- modify (RFC 7644 §3.5.2)

  public Future<ScimResponse> patch(
      ScimRequest req, ResourceType type, String rawId, JsonNode body) {
    UUID id = parseId(type, rawId);
    Long ifMatch = ifMatch(req);
    List<PatchOperation> operations = PatchRequest.parse(body, limits).operations();
    PatchPlan plan = PatchPlan.split(operations, type);
    List<PatchOperation> documentOps = plan.documentOperations();
    rejectInvalidPaths(type, documentOps);
    String idText = id.toString();
    java.util.function.Function<StoredResource, ObjectNode> applyOps =
        current ->
            documentOps.isEmpty()
                ? current.document()
                : PatchEngine.apply(current.document(), documentOps, type, idText);
    if (type == ResourceType.USER) {
      if (!plan.memberChanges().isEmpty()) {
        throw ScimException.mutability("A user's groups are read-only; patch the group instead.");
      }
      boolean answerWithResource = req.tenant().tenant().settings().patchUserStatus() == 200;
      return users
          .update(req.write(), id, ifMatch, applyOps)
          .map(u -> answerWithResource ? resourceResponse(req, u, 200) : noContent(u));
    }
    boolean additive =
        req.tenant().tenant().settings().membersReplace() == TenantSettings.MembersReplace.ADDITIVE;
    List<MemberOp> memberOps = new ArrayList<>();
    for (MemberChange change : plan.memberChanges()) {
      MemberOp op = toMemberOp(change);
      if (additive && op instanceof MemberOp.Replace replace) {
        // the tenant chose Entra's additive reading of "replace members": add, remove nobody
        op = new MemberOp.AdditiveReplace(replace.ids());
      }
      memberOps.add(op);
    }
    boolean answerWithResource = req.tenant().tenant().settings().patchGroupStatus() == 200;
    return groups
        .update(req.write(), id, ifMatch, applyOps, memberOps, answerWithResource)
        .map(g -> answerWithResource ? resourceResponse(req, g, 200) : noContent(g));
  }

  /**
   * A path that names no attribute is wrong whatever the resource holds (RFC 7644 §3.5.2
   * invalidPath), so it is answered before the resource is looked up: the operations are tried on
   * an empty resource, and only an invalidPath outcome counts (anything else depends on the stored
   * values and is decided by the real apply).
   */
  private static void rejectInvalidPaths(ResourceType type, List<PatchOperation> documentOps) {
    if (documentOps.isEmpty()) {
      return;
    }
    ObjectNode empty = io.switchboard.scim.ScimJson.object();
    empty.putArray("schemas").add(type.schemaUrn());
    try {
      PatchEngine.apply(empty, documentOps, type, "00000000-0000-0000-0000-000000000000");
    } catch (ScimException e) {
      if (e.scimType() == io.switchboard.scim.ScimType.INVALID_PATH) {
        throw e;
      }
    }
  }

  // ---- delete (RFC 7644 §3.6)

  public Future<ScimResponse> delete(ScimRequest req, ResourceType type, String rawId) {
    UUID id = parseId(type, rawId);
    Long ifMatch = ifMatch(req);
    Future<Void> deleted =
        type == ResourceType.USER
            ? users.delete(req.write(), id, ifMatch)
            : groups.delete(req.write(), id, ifMatch);
    return deleted.map(v -> ScimResponse.noContent());
  }

  // ---- query (RFC 7644 §3.4.2, §3.4.3)

  public Future<ScimResponse> list(ScimRequest req, ResourceType type, ListQuery query) {
    return matching(req, type, query)
        .map(result -> listResponse(query, type, result.total(), result.page()));
  }

  /** {@code POST /.search} at the root: both resource types, one result set (§3.4.3). */
  public Future<ScimResponse> searchAll(ScimRequest req, ListQuery query) {
    Future<List<StoredResource>> u = planner.candidatesAll(req.tenant(), ResourceType.USER, query);
    Future<List<StoredResource>> g = planner.candidatesAll(req.tenant(), ResourceType.GROUP, query);
    return Future.all(u, g)
        .map(
            v -> {
              List<ObjectNode> rendered = new ArrayList<>();
              filterAndRender(req, ResourceType.USER, query, u.result(), rendered);
              filterAndRender(req, ResourceType.GROUP, query, g.result(), rendered);
              Comparator<ObjectNode> order = query.comparator(ResourceType.USER);
              rendered.sort(order);
              List<ObjectNode> page = query.countOnly() ? List.of() : query.page(rendered);
              List<ObjectNode> projected = new ArrayList<>(page.size());
              for (ObjectNode r : page) {
                ResourceType t =
                    "Group".equals(r.path("meta").path("resourceType").asText())
                        ? ResourceType.GROUP
                        : ResourceType.USER;
                projected.add(query.projection(t).apply(r));
              }
              return ScimResponse.ok(
                  ListResponse.of(projected, rendered.size(), query.startIndex()));
            });
  }

  private void filterAndRender(
      ScimRequest req,
      ResourceType type,
      ListQuery query,
      List<StoredResource> candidates,
      List<ObjectNode> out) {
    Optional<CompiledFilter> filter = query.compileFilter(type);
    for (StoredResource r : candidates) {
      ObjectNode rendered = ResourceRenderer.render(r, req.baseUrl());
      if (filter.isEmpty() || filter.get().matches(rendered)) {
        out.add(rendered);
      }
    }
  }

  private record Matched(long total, List<ObjectNode> page) {}

  private Future<Matched> matching(ScimRequest req, ResourceType type, ListQuery query) {
    TenantContext t = req.tenant();
    Projection projection = query.projection(type);
    boolean withEdges = projection.includes(type == ResourceType.USER ? "groups" : "members");
    Optional<CompiledFilter> filter = query.compileFilter(type);
    if (filter.isEmpty() && query.sortBy().isEmpty()) {
      // the common "list everything" page: the database pages, nothing is decrypted twice
      int offset = query.startIndex() - 1;
      int limit = query.countOnly() ? 0 : query.count();
      Future<io.switchboard.store.Page> page =
          type == ResourceType.USER
              ? users.page(t, offset, limit, withEdges)
              : groups.page(t, offset, limit, withEdges);
      return page.map(p -> new Matched(p.total(), renderAll(p.resources(), req.baseUrl())));
    }
    return planner
        .candidates(t, type, filter, withEdges)
        .map(
            candidates -> {
              List<ObjectNode> rendered = new ArrayList<>();
              for (StoredResource r : candidates) {
                ObjectNode doc = ResourceRenderer.render(r, req.baseUrl());
                if (filter.isEmpty() || filter.get().matches(doc)) {
                  rendered.add(doc);
                }
              }
              rendered.sort(query.comparator(type));
              List<ObjectNode> page = query.countOnly() ? List.of() : query.page(rendered);
              return new Matched(rendered.size(), page);
            });
  }

  // ---- helpers

  private static List<ObjectNode> renderAll(List<StoredResource> resources, String baseUrl) {
    List<ObjectNode> out = new ArrayList<>(resources.size());
    for (StoredResource r : resources) {
      out.add(ResourceRenderer.render(r, baseUrl));
    }
    return out;
  }

  private static ScimResponse listResponse(
      ListQuery query, ResourceType type, long total, List<ObjectNode> page) {
    Projection projection = query.projection(type);
    List<ObjectNode> out = new ArrayList<>(page.size());
    for (ObjectNode r : page) {
      out.add(projection.apply(r));
    }
    return ScimResponse.ok(ListResponse.of(out, total, query.startIndex()));
  }

  private Future<StoredResource> load(
      TenantContext t, ResourceType type, UUID id, Projection projection) {
    if (type == ResourceType.USER) {
      return users.get(t, id); // with its groups: the same single read either way
    }
    return groups.get(t, id, projection.includes("members"));
  }

  private static ScimResponse resourceResponse(ScimRequest req, StoredResource r, int status) {
    return new ScimResponse(
        status,
        ResourceRenderer.render(r, req.baseUrl()),
        ResourceRenderer.location(req.baseUrl(), r),
        r.etag());
  }

  private static ScimResponse noContent(StoredResource r) {
    return new ScimResponse(204, null, null, r.etag());
  }

  private static Long ifMatch(ScimRequest req) {
    return ResourceRenderer.parseEtag(req.ifMatch());
  }

  /** Ids are UUIDs; anything else names no resource of this directory. */
  static UUID parseId(ResourceType type, String raw) {
    UUID id = uuidOrNull(raw);
    if (id == null) {
      throw ScimException.notFound(type.name() + " " + shorten(raw) + " not found.");
    }
    return id;
  }

  /** Ids in this directory are UUIDs: anything else (or a malformed one) is null. */
  static UUID uuidOrNull(String value) {
    try {
      return value != null && value.length() == 36 ? UUID.fromString(value) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String shorten(String raw) {
    if (raw == null) {
      return "";
    }
    return raw.length() <= 64 ? raw : raw.substring(0, 64) + "…";
  }

  private static List<UUID> memberIds(ValidatedResource valid) {
    return valid.members().map(Directory::toIds).orElse(List.of());
  }

  static List<UUID> toIds(List<io.switchboard.scim.resource.MemberRef> refs) {
    List<UUID> ids = new ArrayList<>(refs.size());
    for (io.switchboard.scim.resource.MemberRef ref : refs) {
      ids.add(memberId(ref.value()));
    }
    return ids;
  }

  private static UUID memberId(String value) {
    UUID id = uuidOrNull(value);
    if (id != null) {
      return id;
    }
    throw ScimException.invalidValue(
        "Member value '"
            + shorten(value)
            + "' is not the id of a user or group in this directory.");
  }

  private static MemberOp toMemberOp(MemberChange change) {
    if (change instanceof MemberChange.Add add) {
      return new MemberOp.Add(toIds(add.members()));
    }
    if (change instanceof MemberChange.Remove remove) {
      // a value that is not an id cannot be a member: removing it changes nothing
      List<UUID> ids = new ArrayList<>();
      for (String value : remove.ids()) {
        UUID id = uuidOrNull(value);
        if (id != null) {
          ids.add(id);
        }
      }
      return new MemberOp.Remove(ids);
    }
    if (change instanceof MemberChange.ReplaceAll replace) {
      return new MemberOp.Replace(toIds(replace.members()));
    }
    return new MemberOp.RemoveAll();
  }
}
