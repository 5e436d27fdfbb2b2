package io.switchboard.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.store.ResourceKind;
import io.switchboard.store.StoredResource;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The narrow surface a sync changes a tenant's directory through, so a connector's changes take the
 * same path as SCIM requests (lifecycle, change feed, audit, encryption). One instance is bound to
 * one tenant and one sync run. "Managed" resources are those this tenant's connector created or
 * adopted; only they are ever suspended or deleted by a sync.
 */
public interface DirectoryWriter {

  /** Users the connector manages, decrypted. */
  Future<List<StoredResource>> managedUsers();

  /** Groups the connector manages, decrypted, with their members. */
  Future<List<StoredResource>> managedGroups();

  /** A user with this userName (case-insensitive), managed or not. */
  Future<Optional<StoredResource>> userByUserName(String userName);

  /** A group with this displayName (case-insensitive), managed or not. */
  Future<Optional<StoredResource>> groupByDisplayName(String displayName);

  /**
   * Creates a user; the caller marks it managed with {@link #markManaged} (in batches). Fails with
   * a 409 ScimException if the userName is taken.
   */
  Future<StoredResource> createUser(ObjectNode document);

  /** Replaces a user's document (no-op when equal) and marks it managed. */
  Future<StoredResource> replaceUser(UUID id, ObjectNode document);

  Future<Void> deleteUser(UUID id);

  /** Creates a group; the caller marks it managed with {@link #markManaged}. */
  Future<StoredResource> createGroup(ObjectNode document);

  Future<StoredResource> replaceGroup(UUID id, ObjectNode document);

  /**
   * Makes the group's members exactly these users, whatever the tenant's reading of an IdP's
   * "replace members" ({@code document} is the group's current document).
   */
  Future<Void> setMembers(UUID groupId, ObjectNode document, Collection<UUID> userIds);

  Future<Void> deleteGroup(UUID id);

  /** Marks resources as the connector's, in one statement. */
  Future<Void> markManaged(ResourceKind kind, Collection<UUID> ids);
}
