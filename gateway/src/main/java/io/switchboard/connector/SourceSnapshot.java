package io.switchboard.connector;

import java.util.List;
import java.util.Set;

/**
 * What a pull connector read from its source, in the source's own terms, ready to be compared with
 * the tenant's directory: the users in scope and the selected groups with their members flattened
 * (nested groups expanded) to user ids.
 */
public record SourceSnapshot(List<User> users, List<Group> groups) {

  /** A person in the source; {@code sourceId} becomes the SCIM {@code externalId}. */
  public record User(
      String sourceId,
      String userName,
      String givenName,
      String familyName,
      String displayName,
      List<String> emails,
      boolean active) {}

  /** A selected group and the source ids of every user in it, directly or through nesting. */
  public record Group(String sourceId, String displayName, Set<String> memberUserIds) {}
}
