package io.switchboard.scim.patch;

import io.switchboard.scim.ScimException;
import io.switchboard.scim.filter.AttrPath;
import io.switchboard.scim.filter.Filter;
import io.switchboard.scim.filter.ScimFilter;
import io.switchboard.scim.schema.SchemaDef;
import io.switchboard.scim.schema.SchemaRegistry;
import java.util.Optional;

/**
 * A PATCH {@code path} (RFC 7644 §3.5.2): {@code attr}, {@code attr.sub}, {@code attr[filter]},
 * {@code attr[filter].sub}, each optionally prefixed by a schema URN, or a bare extension URN (the
 * whole extension object). {@code attribute} is null only for the bare-URN form.
 *
 * <p>Usage: {@code PatchPath.parse("emails[type eq \"work\"].value")}
 */
public record PatchPath(
    String schemaUrn, String attribute, Filter valueFilter, String subAttribute, String text) {

  public Optional<Filter> filter() {
    return Optional.ofNullable(valueFilter);
  }

  public Optional<String> sub() {
    return Optional.ofNullable(subAttribute);
  }

  /** True for {@code attr} with no URN, filter or sub-attribute, compared case-insensitively. */
  public boolean isPlain(String name) {
    return attribute != null
        && valueFilter == null
        && subAttribute == null
        && attribute.equalsIgnoreCase(name);
  }

  /**
   * Parses a path; syntax errors are 400 {@code invalidPath}, errors inside the value filter 400
   * {@code invalidFilter}.
   */
  public static PatchPath parse(String text) {
    if (text == null || text.isBlank()) {
      throw ScimException.invalidPath("The PATCH path is empty.");
    }
    String t = text.trim();
    if (t.length() > ScimFilter.MAX_LENGTH) {
      throw ScimException.invalidPath("The PATCH path is too long.");
    }
    int open = t.indexOf('[');
    if (open < 0) {
      if (t.indexOf(']') >= 0) {
        throw ScimException.invalidPath("The PATCH path has ']' without '['.");
      }
      Optional<SchemaDef> schema = SchemaRegistry.standard().schema(t);
      if (schema.isPresent()) {
        return new PatchPath(schema.get().id(), null, null, null, t);
      }
      AttrPath p = attrPath(t);
      return new PatchPath(p.schemaUrn(), p.attribute(), null, p.subAttribute(), t);
    }
    int close = t.lastIndexOf(']');
    if (close < open) {
      throw ScimException.invalidPath("The PATCH path has '[' without ']'.");
    }
    AttrPath p = attrPath(t.substring(0, open));
    if (p.subAttribute() != null) {
      throw ScimException.invalidPath(
          "A value filter in a PATCH path applies to an attribute, not a sub-attribute.");
    }
    String inner = t.substring(open + 1, close);
    Filter filter = ScimFilter.parseValueFilter(inner);
    String rest = t.substring(close + 1);
    String sub = null;
    if (!rest.isEmpty()) {
      if (!rest.startsWith(".") || !AttrPath.isAttrName(rest.substring(1))) {
        throw ScimException.invalidPath(
            "After a value filter a PATCH path may only name a sub-attribute ('].sub').");
      }
      sub = rest.substring(1);
    }
    return new PatchPath(p.schemaUrn(), p.attribute(), filter, sub, t);
  }

  private static AttrPath attrPath(String s) {
    try {
      return AttrPath.parse(s);
    } catch (IllegalArgumentException e) {
      throw ScimException.invalidPath("Invalid PATCH path: " + e.getMessage() + ".");
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
