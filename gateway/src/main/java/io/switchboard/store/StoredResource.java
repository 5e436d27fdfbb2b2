package io.switchboard.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user or group as the store holds it: the decrypted document (the resource without {@code id},
 * {@code meta}, {@code groups} and {@code members}), its version and times, and the membership
 * edges when they were loaded ({@code null} when not requested).
 */
public record StoredResource(
    ResourceKind kind,
    UUID id,
    long version,
    Instant created,
    Instant lastModified,
    ObjectNode document,
    List<MemberRef> groups,
    List<MemberRef> members) {

  public String etag() {
    return "W/\"" + version + "\"";
  }

  public StoredResource withMembers(List<MemberRef> loaded) {
    return new StoredResource(kind, id, version, created, lastModified, document, groups, loaded);
  }

  public StoredResource withGroups(List<MemberRef> loaded) {
    return new StoredResource(kind, id, version, created, lastModified, document, loaded, members);
  }
}
