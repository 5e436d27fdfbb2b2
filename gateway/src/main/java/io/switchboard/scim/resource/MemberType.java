package io.switchboard.scim.resource;

import java.util.Optional;

/** What a group member is: a User (the default when a client omits {@code type}) or a Group. */
public enum MemberType {
  USER("User"),
  GROUP("Group");

  private final String scimName;

  MemberType(String scimName) {
    this.scimName = scimName;
  }

  /** "User" or "Group", as in a member's {@code type}. */
  public String scimName() {
    return scimName;
  }

  /** "user", "User", "GROUP"... to a type; empty for anything else. */
  public static Optional<MemberType> fromScimName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (MemberType t : values()) {
      if (t.scimName.equalsIgnoreCase(name.trim())) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
