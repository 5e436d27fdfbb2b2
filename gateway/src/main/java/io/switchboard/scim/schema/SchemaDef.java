package io.switchboard.scim.schema;

import java.util.List;
import java.util.Optional;

/**
 * A schema (RFC 7643 §7): URN, name and top-level attributes.
 *
 * <p>Usage: {@code registry.schema(SchemaUrns.ENTERPRISE_USER).orElseThrow().attribute("manager")}
 */
public record SchemaDef(String id, String name, String description, List<AttributeDef> attributes) {
  public SchemaDef {
    attributes = List.copyOf(attributes);
  }

  /** A top-level attribute by name, case-insensitively. */
  public Optional<AttributeDef> attribute(String attributeName) {
    if (attributeName == null) {
      return Optional.empty();
    }
    for (AttributeDef a : attributes) {
      if (a.name().equalsIgnoreCase(attributeName)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
