package io.switchboard.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.directory.Directory;
import io.switchboard.http.ScimRequest;
import io.switchboard.http.ScimResponse;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.store.ResourceKind;
import io.switchboard.store.StoredResource;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link DirectoryWriter} through {@link Directory}, the service behind the SCIM endpoints: every
 * change a sync makes is validated by the same {@code ResourceValidator} and PATCH engine as an
 * IdP's request, then stored, recorded in the change feed and audited exactly the same way. Reads
 * (the managed set, lookups by name) and the managed marks go to the stores directly.
 *
 * <p>Usage: {@code new ScimDirectoryWriter(directory, storeWriter, scimRequest)}.
 */
public final class ScimDirectoryWriter implements DirectoryWriter {
  private final Directory directory;
  private final StoreDirectoryWriter stores;
  private final ScimRequest request;

  public ScimDirectoryWriter(
      Directory directory, StoreDirectoryWriter stores, ScimRequest request) {
    this.directory = directory;
    this.stores = stores;
    this.request = request;
  }

  @Override
  public Future<List<StoredResource>> managedUsers() {
    return stores.managedUsers();
  }

  @Override
  public Future<List<StoredResource>> managedGroups() {
    return stores.managedGroups();
  }

  @Override
  public Future<Optional<StoredResource>> userByUserName(String userName) {
    return stores.userByUserName(userName);
  }

  @Override
  public Future<Optional<StoredResource>> groupByDisplayName(String displayName) {
    return stores.groupByDisplayName(displayName);
  }

  @Override
  public Future<StoredResource> createUser(ObjectNode document) {
    return directory
        .create(request, ResourceType.USER, document)
        .map(r -> resource(ResourceKind.USER, r, document));
  }

  @Override
  public Future<StoredResource> replaceUser(UUID id, ObjectNode document) {
    return directory
        .replace(request, ResourceType.USER, id.toString(), document)
        .compose(
            r ->
                stores
                    .markManaged(ResourceKind.USER, List.of(id))
                    .map(resource(ResourceKind.USER, r, document)));
  }

  @Override
  public Future<Void> deleteUser(UUID id) {
    return directory
        .delete(request, ResourceType.USER, id.toString())
        .compose(r -> stores.unmark(ResourceKind.USER, id));
  }

  @Override
  public Future<StoredResource> createGroup(ObjectNode document) {
    return directory
        .create(request, ResourceType.GROUP, document)
        .map(r -> resource(ResourceKind.GROUP, r, document));
  }

  @Override
  public Future<StoredResource> replaceGroup(UUID id, ObjectNode document) {
    // a replace without "members" leaves membership as it is
    return directory
        .replace(request, ResourceType.GROUP, id.toString(), document)
        .compose(
            r ->
                stores
                    .markManaged(ResourceKind.GROUP, List.of(id))
                    .map(resource(ResourceKind.GROUP, r, document)));
  }

  /**
   * A PUT of the group with its members (RFC 7644 §3.5.1): exact whatever the tenant's {@code
   * membersReplace} setting, which only changes how a PATCH "replace members" is read.
   */
  @Override
  public Future<Void> setMembers(UUID groupId, ObjectNode document, Collection<UUID> userIds) {
    ObjectNode body = document.deepCopy();
    ArrayNode members = body.putArray("members");
    userIds.forEach(id -> members.addObject().put("value", id.toString()));
    return directory.replace(request, ResourceType.GROUP, groupId.toString(), body).mapEmpty();
  }

  @Override
  public Future<Void> deleteGroup(UUID id) {
    return directory
        .delete(request, ResourceType.GROUP, id.toString())
        .compose(r -> stores.unmark(ResourceKind.GROUP, id));
  }

  @Override
  public Future<Void> markManaged(ResourceKind kind, Collection<UUID> ids) {
    return stores.markManaged(kind, ids);
  }

  /** The sync needs the id, the document it wrote and (for a new group) no members. */
  private static StoredResource resource(ResourceKind kind, ScimResponse r, ObjectNode document) {
    JsonNode body = r.body();
    UUID id = UUID.fromString(body.path("id").asText());
    long version = parseVersion(r.etag());
    Instant now = Instant.now();
    return new StoredResource(kind, id, version, now, now, document, List.of(), List.of());
  }

  private static long parseVersion(String etag) {
    if (etag == null) {
      return 0;
    }
    String digits = etag.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }

  /** What a ScimRequest for a connector's work carries: no conditional headers, no query. */
  public static ScimRequest request(
      io.switchboard.tenant.TenantContext tenant, String requestId, String baseUrl) {
    return new ScimRequest(tenant, requestId, baseUrl, null, null, Map.of());
  }
}
