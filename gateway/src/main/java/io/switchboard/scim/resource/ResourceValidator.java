package io.switchboard.scim.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.filter.AttrPath;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.AttributeDef.Mutability;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaDef;
import io.switchboard.scim.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a POST or PUT body into the document the server stores (RFC 7644 §3.3, §3.5.1), tolerant of
 * the dialects in IDP-DIALECTS.md: server-owned {@code id}, {@code meta}, {@code groups} and the
 * computed {@code members} never enter the document; {@code password} is accepted and dropped;
 * unknown attributes, unknown and legacy schema URIs are ignored; attribute names match
 * case-insensitively and come out in schema case; {@code null} and {@code ""} clear; string
 * booleans become booleans. Wrong types and a missing {@code userName}/{@code displayName} are 400
 * {@code invalidValue}.
 *
 * <p>Usage: {@code ValidatedResource v = ResourceValidator.forCreate(body, ResourceType.USER);}
 */
public final class ResourceValidator {
  private final SchemaRegistry registry;
  private final ResourceType type;

  private ResourceValidator(SchemaRegistry registry, ResourceType type) {
    this.registry = registry;
    this.type = type;
  }

  public static ValidatedResource forCreate(JsonNode body, ResourceType type) {
    return new ResourceValidator(SchemaRegistry.standard(), type).validate(body);
  }

  /**
   * A PUT replaces every client-writable attribute (RFC 7644 §3.5.1); attributes missing from the
   * body are cleared. An {@code immutable} attribute that already has a value must not change.
   */
  public static ValidatedResource forReplace(
      JsonNode body, ObjectNode currentDocument, ResourceType type) {
    ResourceValidator v = new ResourceValidator(SchemaRegistry.standard(), type);
    ValidatedResource result = v.validate(body);
    if (currentDocument != null) {
      v.checkImmutable(currentDocument, result.document());
    }
    return result;
  }

  private ValidatedResource validate(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ScimException.invalidSyntax("The request body must be a JSON object.");
    }
    ObjectNode doc = ScimJson.object();
    doc.putArray("schemas");
    Optional<List<MemberRef>> members = Optional.empty();
    SchemaDef core = registry.core(type);
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.equalsIgnoreCase("schemas")) {
        checkSchemas(value);
        continue;
      }
      if (type == ResourceType.GROUP && key.equalsIgnoreCase("members")) {
        members = Optional.of(members(value));
        continue;
      }
      if (key.regionMatches(true, 0, "urn:", 0, 4)) {
        urnKey(doc, key, value, core);
        continue;
      }
      attributeKey(doc, null, key, value);
    }
    String[] required = requiredMissing(doc, core);
    if (required.length > 0) {
      throw ScimException.invalidValue(
          "The attribute '" + required[0] + "' is required for a " + type.typeName() + ".");
    }
    fillSchemas(doc);
    return new ValidatedResource(doc, members);
  }

  private void checkSchemas(JsonNode value) {
    // Any URI list is accepted: legacy urn:scim:schemas:core:1.0 and Microsoft's extra group URI
    // are ignored. The stored schemas are recomputed from the data.
    if (value != null && !value.isNull() && !value.isArray() && !value.isTextual()) {
      throw ScimException.invalidSyntax("'schemas' must be an array of schema URIs.");
    }
  }

  private void urnKey(ObjectNode doc, String key, JsonNode value, SchemaDef core) {
    Optional<SchemaDef> ext = registry.extension(type, key);
    if (ext.isPresent()) {
      if (value == null || value.isNull()) {
        return;
      }
      if (!value.isObject()) {
        throw ScimException.invalidValue(
            "The extension '" + ext.get().id() + "' must be an object.");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        attributeKey(doc, ext.get(), e.getKey(), e.getValue());
      }
      return;
    }
    if (core.id().equalsIgnoreCase(key)) {
      if (value != null && value.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          attributeKey(doc, null, e.getKey(), e.getValue());
        }
      }
      return;
    }
    // "urn:...:enterprise:2.0:User:employeeNumber" as a key: an attribute named with its schema.
    AttrPath path;
    try {
      path = AttrPath.parse(key);
    } catch (IllegalArgumentException ex) {
      return; // an unknown schema's object: ignored
    }
    registry
        .resolve(type, path.schemaUrn(), path.attribute(), null)
        .ifPresent(r -> set(doc, r, path.subAttribute(), value));
  }

  /** A key inside the core object ({@code schema == null}) or inside an extension object. */
  private void attributeKey(ObjectNode doc, SchemaDef schema, String key, JsonNode value) {
    int dot = key.indexOf('.');
    String attrName = dot > 0 ? key.substring(0, dot) : key;
    String sub = dot > 0 ? key.substring(dot + 1) : null;
    Optional<ResolvedAttribute> r =
        schema == null
            ? registry
                .commonAttribute(attrName)
                .or(() -> registry.core(type).attribute(attrName))
                .map(a -> new ResolvedAttribute(registry.core(type), false, a, null))
            : schema.attribute(attrName).map(a -> new ResolvedAttribute(schema, true, a, null));
    if (r.isEmpty()) {
      return; // unknown attribute: ignored (IDP-DIALECTS)
    }
    set(doc, r.get(), sub, value);
  }

  private void set(ObjectNode doc, ResolvedAttribute r, String sub, JsonNode value) {
    AttributeDef attr = r.attribute();
    if (attr.isReadOnly() || attr.mutability() == Mutability.WRITE_ONLY) {
      return; // id, meta, groups: server-owned; password: accepted, never stored
    }
    ObjectNode container = r.extension() ? doc.withObjectProperty(r.schema().id()) : doc;
    if (sub != null) {
      AttributeDef subDef = attr.subAttribute(sub).orElse(null);
      if (subDef == null || attr.multiValued() || subDef.isReadOnly()) {
        return;
      }
      JsonNode v = AttributeValues.normalize(subDef, value, attr.name() + "." + subDef.name());
      JsonNode existing = container.get(attr.name());
      ObjectNode target =
          existing != null && existing.isObject()
              ? (ObjectNode) existing
              : container.putObject(attr.name());
      if (v == null) {
        target.remove(subDef.name());
        if (target.isEmpty()) {
          container.remove(attr.name());
        }
      } else {
        target.set(subDef.name(), v);
      }
    } else {
      JsonNode v = AttributeValues.normalize(attr, value, attr.name());
      if (v == null) {
        container.remove(attr.name());
      } else {
        container.set(attr.name(), v);
      }
    }
    if (r.extension() && container.isEmpty()) {
      doc.remove(r.schema().id());
    }
  }

  private String[] requiredMissing(ObjectNode doc, SchemaDef core) {
    for (AttributeDef a : core.attributes()) {
      if (a.required() && !doc.has(a.name())) {
        return new String[] {a.name()};
      }
    }
    for (SchemaDef ext : registry.extensions(type)) {
      JsonNode obj = doc.get(ext.id());
      if (obj == null) {
        continue;
      }
      for (AttributeDef a : ext.attributes()) {
        if (a.required() && !obj.has(a.name())) {
          return new String[] {ext.id() + ":" + a.name()};
        }
      }
    }
    return new String[0];
  }

  private void fillSchemas(ObjectNode doc) {
    ArrayNode schemas = (ArrayNode) doc.get("schemas");
    schemas.add(registry.core(type).id());
    for (SchemaDef ext : registry.extensions(type)) {
      JsonNode obj = doc.get(ext.id());
      if (obj != null && obj.isObject() && !obj.isEmpty()) {
        schemas.add(ext.id());
      }
    }
  }

  /** Group members as the body names them: absent, {@code null} or {@code []} to none. */
  public static List<MemberRef> members(JsonNode value) {
    Map<String, MemberRef> out = new LinkedHashMap<>();
    if (value == null || value.isNull()) {
      return new ArrayList<>();
    }
    if (value.isArray()) {
      for (JsonNode e : value) {
        MemberRef m = member(e);
        if (m != null) {
          out.putIfAbsent(m.value(), m);
        }
      }
    } else {
      MemberRef m = member(value);
      if (m != null) {
        out.put(m.value(), m);
      }
    }
    return new ArrayList<>(out.values());
  }

  /** One member: {@code {"value":"id","type":"User"}} or a bare id; null for {@code null}. */
  public static MemberRef member(JsonNode e) {
    if (e == null || e.isNull()) {
      return null;
    }
    if (e.isTextual()) {
      if (e.textValue().isBlank()) {
        throw ScimException.invalidValue("A member needs a non-empty 'value'.");
      }
      return MemberRef.user(e.textValue().trim());
    }
    if (!e.isObject()) {
      throw ScimException.invalidValue("A member must be an object with a 'value'.");
    }
    JsonNode v = ResolvedAttribute.field(e, "value");
    if (v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank()) {
      throw ScimException.invalidValue("A member needs a non-empty 'value'.");
    }
    JsonNode t = ResolvedAttribute.field(e, "type");
    MemberType type = MemberType.USER;
    if (t != null && !t.isNull() && !(t.isTextual() && t.textValue().isBlank())) {
      type =
          MemberType.fromScimName(t.asText())
              .orElseThrow(
                  () -> ScimException.invalidValue("A member's 'type' must be User or Group."));
    }
    return new MemberRef(v.asText().trim(), type);
  }

  private void checkImmutable(ObjectNode current, ObjectNode next) {
    checkImmutable(registry.core(type).attributes(), current, next, "");
    for (SchemaDef ext : registry.extensions(type)) {
      JsonNode c = current.get(ext.id());
      JsonNode n = next.get(ext.id());
      if (c != null && c.isObject()) {
        checkImmutable(ext.attributes(), c, n == null ? ScimJson.object() : n, ext.id() + ":");
      }
    }
  }

  private static void checkImmutable(
      List<AttributeDef> attrs, JsonNode current, JsonNode next, String prefix) {
    for (AttributeDef a : attrs) {
      if (a.mutability() != Mutability.IMMUTABLE) {
        continue;
      }
      JsonNode c = current.get(a.name());
      if (c != null && !c.isNull() && !c.equals(next.get(a.name()))) {
        throw ScimException.mutability(
            "The attribute '" + prefix + a.name() + "' is immutable and already has a value.");
      }
    }
  }
}
