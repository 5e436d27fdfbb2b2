package io.switchboard.scim.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An attribute path resolved against a schema: the schema, the top-level attribute and, where
 * given, one of its sub-attributes.
 *
 * <p>Usage: {@code resolved.values(resource)} to read every value the path reaches.
 */
public record ResolvedAttribute(
    SchemaDef schema, boolean extension, AttributeDef attribute, AttributeDef subAttribute) {

  /** The attribute the path ends at. */
  public AttributeDef target() {
    return subAttribute != null ? subAttribute : attribute;
  }

  /**
   * {@code userName}, {@code emails.value}, {@code
   * urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value}.
   */
  public String canonicalPath() {
    String base = (extension ? schema.id() + ":" : "") + attribute.name();
    return subAttribute == null ? base : base + "." + subAttribute.name();
  }

  /** The object holding the top-level attribute: the resource, or its extension object. */
  public JsonNode container(JsonNode resource) {
    if (!extension) {
      return resource;
    }
    return field(resource, schema.id());
  }

  /** The top-level attribute's node (null when absent). */
  public JsonNode topNode(JsonNode resource) {
    JsonNode c = container(resource);
    return c == null ? null : field(c, attribute.name());
  }

  /**
   * Every non-null value the path reaches: the elements of a multi-valued attribute, or the
   * sub-attribute of each element.
   */
  public List<JsonNode> values(JsonNode resource) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode node = topNode(resource);
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      for (JsonNode e : node) {
        addValue(out, e);
      }
    } else {
      addValue(out, node);
    }
    return out;
  }

  private void addValue(List<JsonNode> out, JsonNode element) {
    if (element == null || element.isNull()) {
      return;
    }
    if (subAttribute == null) {
      out.add(element);
      return;
    }
    JsonNode v = field(element, subAttribute.name());
    if (v == null || v.isNull()) {
      return;
    }
    if (v.isArray()) {
      v.forEach(out::add);
    } else {
      out.add(v);
    }
  }

  /** A member of an object by name: exact first, then case-insensitively (RFC 7643 §2.1). */
  public static JsonNode field(JsonNode object, String name) {
    if (object == null || !object.isObject()) {
      return null;
    }
    JsonNode exact = object.get(name);
    if (exact != null) {
      return exact;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
