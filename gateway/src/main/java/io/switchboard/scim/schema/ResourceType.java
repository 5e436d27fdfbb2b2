package io.switchboard.scim.schema;

import java.util.Locale;
import java.util.Optional;

/**
 * The two SCIM resource types the gateway serves (RFC 7643 §6). {@link #typeName()} (also {@link
 * #toString()}) is the SCIM name, "User" or "Group"; {@link #name()} stays the Java constant name.
 *
 * <p>Usage: {@code ResourceType.USER.schemaUrn()}
 */
public enum ResourceType {
  USER("User", "/Users", SchemaUrns.USER),
  GROUP("Group", "/Groups", SchemaUrns.GROUP);

  private final String typeName;
  private final String endpoint;
  private final String schemaUrn;

  ResourceType(String typeName, String endpoint, String schemaUrn) {
    this.typeName = typeName;
    this.endpoint = endpoint;
    this.schemaUrn = schemaUrn;
  }

  /** The core schema URN of this type. */
  public String schemaUrn() {
    return schemaUrn;
  }

  /** The endpoint relative to the base URL: "/Users" or "/Groups". */
  public String endpoint() {
    return endpoint;
  }

  /** The SCIM resource type name as in {@code meta.resourceType}: "User" or "Group". */
  public String typeName() {
    return typeName;
  }

  @Override
  public String toString() {
    return typeName;
  }

  /** "User", "users", "/Users", "Group"... to a type; empty if none matches. */
  public static Optional<ResourceType> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String n = name.startsWith("/") ? name.substring(1) : name;
    n = n.toLowerCase(Locale.ROOT);
    for (ResourceType t : values()) {
      String tn = t.typeName.toLowerCase(Locale.ROOT);
      if (n.equals(tn) || n.equals(tn + "s")) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
