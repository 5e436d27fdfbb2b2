package io.switchboard.scim.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.filter.AttrPath;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.AttributeDef.Returned;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaDef;
import io.switchboard.scim.schema.SchemaRegistry;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which attributes a response carries (RFC 7644 §3.4.2.5, §3.9): {@code attributes} keeps only the
 * named ones, {@code excludedAttributes} drops the named ones; {@code returned: always} ({@code
 * id}, {@code schemas}, {@code userName}) survive both, {@code returned: never} ({@code password})
 * never appears. {@code meta} is {@code returned: default}. Names are case-insensitive, may carry a
 * schema URN or a sub-attribute ({@code name.givenName}), and a bare extension URN selects the
 * whole extension. Unknown names are ignored.
 *
 * <p>Usage: {@code Projection.of(List.of(), List.of("members"), GROUP).includes("members")} is
 * false.
 */
public final class Projection {
  private final ResourceType type;
  private final SchemaRegistry registry;
  private final Set<String> attributes; // canonical paths
  private final Set<String> excluded;
  private final boolean attributesMode;

  private Projection(
      ResourceType type,
      SchemaRegistry registry,
      boolean attributesMode,
      Set<String> attributes,
      Set<String> excluded) {
    this.type = type;
    this.registry = registry;
    this.attributes = attributes;
    this.excluded = excluded;
    this.attributesMode = attributesMode;
  }

  public static Projection defaults(ResourceType type) {
    return new Projection(type, SchemaRegistry.standard(), false, Set.of(), Set.of());
  }

  /** When both lists are given, {@code attributes} wins (RFC 7644 §3.9 lets a client send one). */
  public static Projection of(
      Collection<String> attributes, Collection<String> excludedAttributes, ResourceType type) {
    SchemaRegistry registry = SchemaRegistry.standard();
    boolean attributesMode = attributes != null && nonBlank(attributes);
    Set<String> a = canonical(attributes, type, registry);
    Set<String> e = attributesMode ? Set.of() : canonical(excludedAttributes, type, registry);
    return new Projection(type, registry, attributesMode, a, e);
  }

  private static boolean nonBlank(Collection<String> names) {
    return names.stream().anyMatch(n -> n != null && !n.isBlank());
  }

  private static Set<String> canonical(
      Collection<String> names, ResourceType type, SchemaRegistry registry) {
    Set<String> out = new LinkedHashSet<>();
    if (names == null) {
      return out;
    }
    for (String raw : names) {
      if (raw == null || raw.isBlank()) {
        continue;
      }
      String n = raw.trim();
      Optional<SchemaDef> ext = registry.extension(type, n);
      if (ext.isPresent()) {
        out.add(ext.get().id());
        continue;
      }
      AttrPath p;
      try {
        p = AttrPath.parse(n);
      } catch (IllegalArgumentException e) {
        continue;
      }
      registry
          .resolve(type, p.schemaUrn(), p.attribute(), p.subAttribute())
          .ifPresent(r -> out.add(r.canonicalPath()));
    }
    return out;
  }

  /**
   * Whether the top-level attribute (or {@code attr.sub}) appears in responses; lets a caller skip
   * loading what is not returned ({@code members} with {@code excludedAttributes=members}).
   */
  public boolean includes(String attribute) {
    if (attribute == null) {
      return false;
    }
    if (attribute.equalsIgnoreCase("schemas")) {
      return true;
    }
    Optional<SchemaDef> ext = registry.extension(type, attribute);
    if (ext.isPresent()) {
      String id = ext.get().id();
      if (attributesMode) {
        return attributes.stream().anyMatch(a -> a.equals(id) || a.startsWith(id + ":"));
      }
      return !excluded.contains(id);
    }
    AttrPath p;
    try {
      p = AttrPath.parse(attribute.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    Optional<ResolvedAttribute> r =
        registry.resolve(type, p.schemaUrn(), p.attribute(), p.subAttribute());
    if (r.isEmpty()) {
      return false;
    }
    ResolvedAttribute ra = r.get();
    String base = base(ra);
    Returned returned = ra.attribute().returned();
    if (returned == Returned.NEVER) {
      return false;
    }
    if (returned == Returned.ALWAYS) {
      return true;
    }
    String path = ra.canonicalPath();
    if (attributesMode) {
      if (selected(base, ra.extension() ? ra.schema().id() : null)) {
        return true;
      }
      if (ra.subAttribute() == null) {
        return attributes.stream().anyMatch(a -> a.startsWith(base + "."));
      }
      return attributes.contains(path);
    }
    return !excluded.contains(base) && !excluded.contains(path);
  }

  /** A projected copy of the rendered resource; the input is not modified. */
  public ObjectNode apply(ObjectNode resource) {
    ObjectNode out = ScimJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = resource.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equals("schemas") || key.equals("id")) {
        out.set(key, value);
        continue;
      }
      Optional<SchemaDef> ext = registry.extension(type, key);
      if (ext.isPresent()) {
        if (value.isObject()) {
          ObjectNode sub = projectObject(ext.get(), (ObjectNode) value);
          if (!sub.isEmpty()) {
            out.set(key, sub);
          }
        }
        continue;
      }
      Optional<AttributeDef> def =
          registry.commonAttribute(key).or(() -> registry.core(type).attribute(key));
      if (def.isEmpty()) {
        if (!attributesMode && !excluded.contains(key)) {
          out.set(key, value);
        }
        continue;
      }
      JsonNode projected = project(def.get(), def.get().name(), null, value);
      if (projected != null) {
        out.set(key, projected);
      }
    }
    return out;
  }

  private ObjectNode projectObject(SchemaDef ext, ObjectNode value) {
    ObjectNode out = ScimJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Optional<AttributeDef> def = ext.attribute(e.getKey());
      if (def.isEmpty()) {
        if (!attributesMode && !excluded.contains(ext.id())) {
          out.set(e.getKey(), e.getValue());
        }
        continue;
      }
      JsonNode projected =
          project(def.get(), ext.id() + ":" + def.get().name(), ext.id(), e.getValue());
      if (projected != null) {
        out.set(e.getKey(), projected);
      }
    }
    return out;
  }

  /** The value as returned, or null when the attribute is left out. */
  private JsonNode project(AttributeDef def, String base, String extensionId, JsonNode value) {
    if (def.returned() == Returned.NEVER) {
      return null;
    }
    if (def.returned() == Returned.ALWAYS) {
      return value;
    }
    if (attributesMode) {
      if (selected(base, extensionId)) {
        return value;
      }
      if (!def.isComplex()) {
        return null;
      }
      Set<String> subs = subsOf(attributes, base);
      if (subs.isEmpty()) {
        return null;
      }
      return keepSubs(value, subs, true);
    }
    if (def.returned() == Returned.REQUEST) {
      return null;
    }
    if (excluded.contains(base) || (extensionId != null && excluded.contains(extensionId))) {
      return null;
    }
    if (def.isComplex()) {
      Set<String> subs = subsOf(excluded, base);
      if (!subs.isEmpty()) {
        return keepSubs(value, subs, false);
      }
    }
    return value;
  }

  private boolean selected(String base, String extensionId) {
    return attributes.contains(base) || (extensionId != null && attributes.contains(extensionId));
  }

  private static Set<String> subsOf(Set<String> paths, String base) {
    Set<String> out = new LinkedHashSet<>();
    String prefix = base + ".";
    for (String p : paths) {
      if (p.startsWith(prefix)) {
        out.add(p.substring(prefix.length()));
      }
    }
    return out;
  }

  private static JsonNode keepSubs(JsonNode value, Set<String> subs, boolean keep) {
    if (value.isArray()) {
      ArrayNode arr = ScimJson.NODES.arrayNode();
      for (JsonNode e : value) {
        JsonNode p = keepSubs(e, subs, keep);
        if (p != null) {
          arr.add(p);
        }
      }
      return arr.isEmpty() ? null : arr;
    }
    if (!value.isObject()) {
      return keep ? null : value;
    }
    ObjectNode out = ScimJson.object();
    value
        .fields()
        .forEachRemaining(
            f -> {
              if (subs.contains(f.getKey()) == keep) {
                out.set(f.getKey(), f.getValue());
              }
            });
    return out.isEmpty() ? null : out;
  }

  private static String base(ResolvedAttribute r) {
    return (r.extension() ? r.schema().id() + ":" : "") + r.attribute().name();
  }
}
