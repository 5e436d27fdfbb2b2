package io.switchboard.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.filter.AttrPath;
import io.switchboard.scim.filter.Filter;
import io.switchboard.scim.filter.FilterEvaluator;
import io.switchboard.scim.filter.Operator;
import io.switchboard.scim.resource.AttributeValues;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.AttributeDef.Mutability;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaDef;
import io.switchboard.scim.schema.SchemaRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Applies PATCH operations to a stored document (RFC 7644 §3.5.2) and returns the new document; the
 * input is never modified, so a failure anywhere leaves nothing applied.
 *
 * <p>The document is the stored form: no {@code id}, {@code meta} or {@code members} (a group's
 * membership goes through {@link PatchPlan}; {@code members} operations reaching this class are
 * ignored). What it tolerates (IDP-DIALECTS.md): path-less values with nested, dotted ({@code
 * name.givenName}) and URN-prefixed keys; {@code null} or {@code ""} to clear; string booleans;
 * {@code manager} as an id, {@code {"value":..}} or {@code {"managerId":..}}; a {@code replace}
 * carrying the resource's own {@code id}; unknown attributes in path-less values and paths into
 * unknown extension schemas (ignored). Setting one value {@code primary} clears the others.
 *
 * <p>Usage: {@code ObjectNode next = PatchEngine.apply(doc, plan.documentOperations(), USER, id);}
 */
public final class PatchEngine {
  private final SchemaRegistry registry;
  private final ResourceType type;
  private final String id;
  private final ObjectNode doc;

  private PatchEngine(SchemaRegistry registry, ResourceType type, String id, ObjectNode doc) {
    this.registry = registry;
    this.type = type;
    this.id = id;
    this.doc = doc;
  }

  public static ObjectNode apply(
      ObjectNode document, List<PatchOperation> ops, ResourceType type, String id) {
    ObjectNode copy = document == null ? ScimJson.object() : document.deepCopy();
    PatchEngine engine = new PatchEngine(SchemaRegistry.standard(), type, id, copy);
    for (PatchOperation op : ops) {
      engine.apply(op);
    }
    engine.finish();
    return copy;
  }

  private void apply(PatchOperation op) {
    if (op.path().isEmpty()) {
      if (op.op() == PatchOperation.Op.REMOVE) {
        throw ScimException.noTarget("remove needs a 'path'.");
      }
      if (!op.value().isObject()) {
        throw ScimException.invalidValue("Without a 'path' the 'value' must be an object.");
      }
      pathless(op.op(), (ObjectNode) op.value());
      return;
    }
    PatchPath path = op.path().get();
    if (path.attribute() == null) {
      wholeSchema(op, path);
      return;
    }
    Optional<ResolvedAttribute> resolved =
        registry.resolve(type, path.schemaUrn(), path.attribute(), null);
    if (resolved.isEmpty()) {
      if (path.schemaUrn() != null) {
        Optional<SchemaDef> asSchema =
            registry.extension(type, path.schemaUrn() + ":" + path.attribute());
        if (asSchema.isPresent() && path.valueFilter() == null && path.subAttribute() == null) {
          wholeSchema(op, new PatchPath(asSchema.get().id(), null, null, null, path.text()));
          return;
        }
        if (registry.schema(path.schemaUrn()).isEmpty()
            && !path.schemaUrn().equalsIgnoreCase(registry.core(type).id())) {
          return; // an extension this gateway does not keep: tolerated, ignored
        }
      }
      throw ScimException.invalidPath(
          "'" + path.text() + "' is not an attribute of " + type.typeName() + " resources.");
    }
    ResolvedAttribute r = resolved.get();
    AttributeDef attr = r.attribute();
    if (type == ResourceType.GROUP && !r.extension() && attr.name().equals("members")) {
      return; // membership is applied through PatchPlan.memberChanges()
    }
    AttributeDef sub = null;
    if (path.subAttribute() != null) {
      sub =
          attr.subAttribute(path.subAttribute())
              .orElseThrow(
                  () ->
                      ScimException.invalidPath(
                          "'"
                              + path.subAttribute()
                              + "' is not a sub-attribute of "
                              + attr.name()
                              + "."));
    }
    if (attr.name().equals("id") && !r.extension()) {
      sameId(op.op(), op.value());
      return;
    }
    checkMutable(op.op(), r, sub);
    Predicate<JsonNode> filter = null;
    if (path.valueFilter() != null) {
      if (!attr.isComplex() || !attr.multiValued()) {
        throw ScimException.invalidPath(
            "A value filter applies to multi-valued complex attributes; '"
                + attr.name()
                + "' is not one.");
      }
      filter =
          FilterEvaluator.compileValueFilter(
              path.valueFilter(), type, r.extension() ? r.schema().id() : null, attr.name());
    }
    ObjectNode container = container(r, op.op() != PatchOperation.Op.REMOVE);
    switch (op.op()) {
      case ADD, REPLACE ->
          set(op.op(), container, attr, filter, path.valueFilter(), sub, op.value());
      case REMOVE -> remove(container, attr, filter, sub, op.value());
    }
    tidy(r);
  }

  // --- path-less add/replace -------------------------------------------------------------------

  private void pathless(PatchOperation.Op op, ObjectNode value) {
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equalsIgnoreCase("schemas")) {
        continue;
      }
      if (key.regionMatches(true, 0, "urn:", 0, 4)) {
        Optional<SchemaDef> ext = registry.extension(type, key);
        if (ext.isPresent()) {
          pathlessObject(op, ext.get(), e.getValue(), key);
          continue;
        }
        if (registry.core(type).id().equalsIgnoreCase(key)) {
          pathlessObject(op, registry.core(type), e.getValue(), key);
          continue;
        }
        AttrPath p;
        try {
          p = AttrPath.parse(key);
        } catch (IllegalArgumentException ex) {
          continue;
        }
        Optional<ResolvedAttribute> r = registry.resolve(type, p.schemaUrn(), p.attribute(), null);
        if (r.isPresent()) {
          pathlessAttribute(op, r.get(), p.subAttribute(), e.getValue());
        }
        continue;
      }
      if (key.indexOf('[') > 0) {
        // Entra's path-less replace may carry "emails[type eq \"work\"].value" as a key; a value
        // that does not exist yet is created rather than refused.
        pathlessFiltered(op, key, e.getValue());
        continue;
      }
      pathlessKey(op, registry.core(type), false, key, e.getValue());
    }
  }

  private void pathlessFiltered(PatchOperation.Op op, String key, JsonNode value) {
    PatchPath path = PatchPath.parse(key);
    Optional<ResolvedAttribute> r =
        registry.resolve(type, path.schemaUrn(), path.attribute(), null);
    if (r.isEmpty() || path.valueFilter() == null) {
      return;
    }
    PatchOperation.Op effective = op;
    if (op == PatchOperation.Op.REPLACE) {
      ResolvedAttribute top =
          new ResolvedAttribute(r.get().schema(), r.get().extension(), r.get().attribute(), null);
      JsonNode current = top.topNode(doc);
      Predicate<JsonNode> filter =
          FilterEvaluator.compileValueFilter(
              path.valueFilter(),
              type,
              top.extension() ? top.schema().id() : null,
              top.attribute().name());
      boolean any = false;
      if (current != null && current.isArray()) {
        for (JsonNode el : current) {
          any |= el.isObject() && filter.test(el);
        }
      }
      if (!any) {
        effective = PatchOperation.Op.ADD;
      }
    }
    apply(new PatchOperation(effective, Optional.of(path), value));
  }

  private void pathlessObject(PatchOperation.Op op, SchemaDef schema, JsonNode value, String key) {
    boolean extension = !schema.id().equalsIgnoreCase(registry.core(type).id());
    if (value == null || value.isNull()) {
      if (extension && op == PatchOperation.Op.REPLACE) {
        doc.remove(schema.id());
      }
      return;
    }
    if (!value.isObject()) {
      throw ScimException.invalidValue("The value of '" + key + "' must be an object.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      pathlessKey(op, schema, extension, e.getKey(), e.getValue());
    }
  }

  private void pathlessKey(
      PatchOperation.Op op, SchemaDef schema, boolean extension, String key, JsonNode value) {
    int dot = key.indexOf('.');
    String name = dot > 0 ? key.substring(0, dot) : key;
    String sub = dot > 0 ? key.substring(dot + 1) : null;
    Optional<AttributeDef> attr =
        extension
            ? schema.attribute(name)
            : registry.commonAttribute(name).or(() -> schema.attribute(name));
    if (attr.isEmpty()) {
      return; // unknown attribute in a path-less value: ignored
    }
    pathlessAttribute(op, new ResolvedAttribute(schema, extension, attr.get(), null), sub, value);
  }

  private void pathlessAttribute(
      PatchOperation.Op op, ResolvedAttribute r, String subName, JsonNode value) {
    AttributeDef attr = r.attribute();
    if (type == ResourceType.GROUP && !r.extension() && attr.name().equals("members")) {
      return; // split out by PatchPlan
    }
    if (!r.extension() && attr.name().equals("id")) {
      sameId(op, value);
      return;
    }
    if (attr.isReadOnly()) {
      return; // meta, groups in a path-less value: ignored like in bodies
    }
    AttributeDef sub = null;
    if (subName != null) {
      sub = attr.subAttribute(subName).orElse(null);
      if (sub == null) {
        return;
      }
    }
    checkMutable(op, r, sub);
    ObjectNode container = container(r, true);
    set(op, container, attr, null, null, sub, value);
    tidy(r);
  }

  private void wholeSchema(PatchOperation op, PatchPath path) {
    Optional<SchemaDef> ext = registry.extension(type, path.schemaUrn());
    if (ext.isEmpty()) {
      if (registry.core(type).id().equalsIgnoreCase(path.schemaUrn())) {
        throw ScimException.invalidPath("A PATCH path must name an attribute of the core schema.");
      }
      return; // unknown extension: ignored
    }
    switch (op.op()) {
      case REMOVE -> doc.remove(ext.get().id());
      case REPLACE -> {
        doc.remove(ext.get().id());
        pathlessObject(op.op(), ext.get(), op.value(), path.text());
      }
      case ADD -> pathlessObject(op.op(), ext.get(), op.value(), path.text());
    }
  }

  // --- the three operations on one attribute ---------------------------------------------------

  private void set(
      PatchOperation.Op op,
      ObjectNode container,
      AttributeDef attr,
      Predicate<JsonNode> filter,
      Filter filterAst,
      AttributeDef sub,
      JsonNode value) {
    String name = attr.name();
    if (filter != null) {
      ArrayNode arr = array(container, name);
      List<ObjectNode> matched = matching(arr, filter);
      if (matched.isEmpty()) {
        if (op == PatchOperation.Op.REPLACE) {
          throw ScimException.noTarget("No value of '" + name + "' matches the path's filter.");
        }
        // add emails[type eq "work"].value: create the value the filter describes (Entra).
        ObjectNode created = seed(filterAst, attr);
        if (sub != null) {
          putSub(created, sub, value, attr);
        } else {
          mergeInto(created, normalizedElement(attr, value));
        }
        if (created.isEmpty()) {
          return;
        }
        if (isPrimary(created)) {
          clearPrimary(arr, null);
        }
        arr.add(created);
        return;
      }
      for (ObjectNode m : matched) {
        if (sub != null) {
          putSub(m, sub, value, attr);
        } else if (op == PatchOperation.Op.REPLACE) {
          JsonNode n = normalizedElement(attr, value);
          m.removeAll();
          mergeInto(m, n);
        } else {
          mergeInto(m, normalizedElement(attr, value));
          clearExplicit(m, attr, value);
        }
        if (isPrimary(m)) {
          clearPrimary(arr, m);
        }
      }
      removeEmptyElements(arr);
      return;
    }
    if (sub != null) {
      if (attr.multiValued()) {
        ArrayNode arr = array(container, name);
        if (arr.isEmpty()) {
          if (op == PatchOperation.Op.REPLACE) {
            throw ScimException.noTarget("'" + name + "' has no values to change.");
          }
          ObjectNode created = arr.addObject();
          putSub(created, sub, value, attr);
        } else {
          for (JsonNode e : arr) {
            if (e.isObject()) {
              putSub((ObjectNode) e, sub, value, attr);
            }
          }
        }
        removeEmptyElements(arr);
        return;
      }
      ObjectNode target = object(container, name);
      putSub(target, sub, value, attr);
      return;
    }
    if (!attr.multiValued()
        && attr.isComplex()
        && !AttributeValues.isManager(attr)
        && value != null
        && value.isObject()) {
      // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes given are set, the others stay; a sub-attribute
      // given as null or "" is cleared.
      ObjectNode target = object(container, name);
      mergeInto(target, AttributeValues.normalize(attr, value, name));
      clearExplicit(target, attr, value);
      return;
    }
    JsonNode n = AttributeValues.normalize(attr, value, name);
    if (n == null) {
      container.remove(name); // null or "" clears (IDP-DIALECTS)
      return;
    }
    if (attr.multiValued()) {
      if (op == PatchOperation.Op.REPLACE) {
        container.set(name, n);
        return;
      }
      ArrayNode arr = array(container, name);
      for (JsonNode e : n) {
        addElement(arr, e, attr);
      }
      return;
    }
    if (attr.isComplex() && !AttributeValues.isManager(attr)) {
      // RFC 7644 §3.5.2.1/§3.5.2.3: sub-attributes given are set, the others stay.
      ObjectNode target = object(container, name);
      mergeInto(target, n);
      return;
    }
    container.set(name, n);
  }

  private void remove(
      ObjectNode container,
      AttributeDef attr,
      Predicate<JsonNode> filter,
      AttributeDef sub,
      JsonNode value) {
    if (container == null) {
      if (filter != null) {
        throw ScimException.noTarget(
            "No value of '" + attr.name() + "' matches the path's filter.");
      }
      return;
    }
    String name = attr.name();
    JsonNode current = container.get(name);
    if (filter != null) {
      if (current == null || !current.isArray()) {
        throw ScimException.noTarget("No value of '" + name + "' matches the path's filter.");
      }
      ArrayNode arr = (ArrayNode) current;
      List<ObjectNode> matched = matching(arr, filter);
      if (matched.isEmpty()) {
        throw ScimException.noTarget("No value of '" + name + "' matches the path's filter.");
      }
      if (sub != null) {
        for (ObjectNode m : matched) {
          m.remove(sub.name());
        }
      } else {
        for (int i = arr.size() - 1; i >= 0; i--) {
          JsonNode e = arr.get(i);
          if (matched.stream().anyMatch(m -> m == e)) {
            arr.remove(i);
          }
        }
      }
      removeEmptyElements(arr);
      if (arr.isEmpty()) {
        container.remove(name);
      }
      return;
    }
    if (current == null) {
      return; // removing what is not there is not an error (RFC 7644 §3.5.2.2 is silent)
    }
    if (sub != null) {
      if (current.isArray()) {
        for (JsonNode e : current) {
          if (e.isObject()) {
            ((ObjectNode) e).remove(sub.name());
          }
        }
        removeEmptyElements((ArrayNode) current);
      } else if (current.isObject()) {
        ((ObjectNode) current).remove(sub.name());
      }
      if (current.isEmpty()) {
        container.remove(name);
      }
      return;
    }
    if (attr.multiValued()
        && current.isArray()
        && value != null
        && !value.isMissingNode()
        && !value.isNull()) {
      // {"op":"remove","path":"emails","value":[{"value":"a@x"}]}: remove only those values.
      JsonNode listed = AttributeValues.normalize(attr, value, name);
      if (listed != null) {
        ArrayNode arr = (ArrayNode) current;
        for (int i = arr.size() - 1; i >= 0; i--) {
          for (JsonNode l : listed) {
            if (sameValue(arr.get(i), l, attr)) {
              arr.remove(i);
              break;
            }
          }
        }
        if (arr.isEmpty()) {
          container.remove(name);
        }
        return;
      }
    }
    container.remove(name);
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void sameId(PatchOperation.Op op, JsonNode value) {
    // Okta sends the group's own id with every rename.
    if (op != PatchOperation.Op.REMOVE
        && value != null
        && value.isValueNode()
        && id != null
        && id.equals(value.asText())) {
      return;
    }
    throw ScimException.mutability("'id' is read-only.");
  }

  private void checkMutable(PatchOperation.Op op, ResolvedAttribute r, AttributeDef sub) {
    AttributeDef attr = r.attribute();
    String path = r.canonicalPath() + (sub == null ? "" : "." + sub.name());
    if (attr.isReadOnly() || (sub != null && sub.isReadOnly())) {
      throw ScimException.mutability("'" + path + "' is read-only.");
    }
    if (attr.mutability() == Mutability.WRITE_ONLY) {
      if (attr.name().equals("password")) {
        return; // accepted and dropped below
      }
    }
    if (attr.mutability() == Mutability.IMMUTABLE
        || (sub != null && sub.mutability() == Mutability.IMMUTABLE)) {
      JsonNode c = r.topNode(doc);
      if (op != PatchOperation.Op.ADD && c != null && !c.isNull()) {
        throw ScimException.mutability("'" + path + "' is immutable.");
      }
    }
    if (op == PatchOperation.Op.REMOVE && sub == null && attr.required()) {
      throw ScimException.invalidValue("'" + path + "' is required and cannot be removed.");
    }
  }

  private ObjectNode container(ResolvedAttribute r, boolean create) {
    if (!r.extension()) {
      return doc;
    }
    JsonNode c = ResolvedAttribute.field(doc, r.schema().id());
    if (c != null && c.isObject()) {
      return (ObjectNode) c;
    }
    if (!create) {
      return null;
    }
    return doc.putObject(r.schema().id());
  }

  private void tidy(ResolvedAttribute r) {
    ObjectNode holder = container(r, false);
    if (holder != null) {
      JsonNode v = holder.get(r.attribute().name());
      if (v != null && (v.isNull() || (v.isContainerNode() && v.isEmpty()))) {
        holder.remove(r.attribute().name());
      }
    }
    if (r.attribute().mutability() == Mutability.WRITE_ONLY) {
      // password: accepted, never stored
      ObjectNode c = container(r, false);
      if (c != null) {
        c.remove(r.attribute().name());
      }
    }
    if (r.extension()) {
      JsonNode c = doc.get(r.schema().id());
      if (c != null && c.isObject() && c.isEmpty()) {
        doc.remove(r.schema().id());
      }
    }
  }

  private void finish() {
    SchemaDef core = registry.core(type);
    for (AttributeDef a : core.attributes()) {
      if (a.required() && (!doc.has(a.name()) || doc.get(a.name()).isNull())) {
        throw ScimException.invalidValue("'" + a.name() + "' is required and cannot be cleared.");
      }
    }
    // Keys written under other casings by an earlier version of the document stay as they are;
    // the schemas list follows the data.
    ArrayNode schemas = ScimJson.NODES.arrayNode();
    schemas.add(core.id());
    for (SchemaDef ext : registry.extensions(type)) {
      JsonNode c = doc.get(ext.id());
      if (c != null && c.isObject() && !c.isEmpty()) {
        schemas.add(ext.id());
      } else if (c != null) {
        doc.remove(ext.id());
      }
    }
    ObjectNode ordered = ScimJson.object();
    ordered.set("schemas", schemas);
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getKey().equals("schemas")) {
        ordered.set(e.getKey(), e.getValue());
      }
    }
    doc.removeAll();
    doc.setAll(ordered);
  }

  private static ArrayNode array(ObjectNode container, String name) {
    JsonNode c = container.get(name);
    if (c != null && c.isArray()) {
      return (ArrayNode) c;
    }
    ArrayNode arr = container.putArray(name);
    if (c != null && c.isObject()) {
      arr.add(c);
    }
    return arr;
  }

  private static ObjectNode object(ObjectNode container, String name) {
    JsonNode c = container.get(name);
    if (c != null && c.isObject()) {
      return (ObjectNode) c;
    }
    return container.putObject(name);
  }

  private static List<ObjectNode> matching(ArrayNode arr, Predicate<JsonNode> filter) {
    List<ObjectNode> out = new ArrayList<>();
    for (JsonNode e : arr) {
      if (e.isObject() && filter.test(e)) {
        out.add((ObjectNode) e);
      }
    }
    return out;
  }

  private static void putSub(
      ObjectNode target, AttributeDef sub, JsonNode value, AttributeDef attr) {
    JsonNode n = AttributeValues.normalize(sub, value, attr.name() + "." + sub.name());
    if (n == null) {
      target.remove(sub.name());
    } else {
      target.set(sub.name(), n);
    }
  }

  private static JsonNode normalizedElement(AttributeDef attr, JsonNode value) {
    JsonNode v = value;
    if (v != null && v.isArray() && v.size() == 1) {
      v = v.get(0);
    }
    JsonNode n = AttributeValues.single(attr, v, attr.name());
    return n == null ? ScimJson.object() : n;
  }

  /** Sub-attributes the raw value names with null or "": cleared (IDP-DIALECTS). */
  private static void clearExplicit(ObjectNode target, AttributeDef attr, JsonNode raw) {
    if (raw == null || !raw.isObject()) {
      return;
    }
    raw.fields()
        .forEachRemaining(
            f -> {
              JsonNode v = f.getValue();
              if (v.isNull() || (v.isTextual() && v.textValue().isEmpty())) {
                attr.subAttribute(f.getKey()).ifPresent(sub -> target.remove(sub.name()));
              }
            });
  }

  private static void mergeInto(ObjectNode target, JsonNode n) {
    if (n != null && n.isObject()) {
      n.fields().forEachRemaining(e -> target.set(e.getKey(), e.getValue()));
    }
  }

  /** The element an eq-only filter describes: emails[type eq "work"] seeds {"type":"work"}. */
  private static ObjectNode seed(Filter filter, AttributeDef attr) {
    ObjectNode out = ScimJson.object();
    if (filter == null) {
      return out;
    }
    for (Filter f : filter.conjuncts()) {
      if (f instanceof Filter.Comparison c
          && c.op() == Operator.EQ
          && c.literal() != null
          && !c.literal().isNull()
          && c.path().subAttribute() == null) {
        attr.subAttribute(c.path().attribute())
            .filter(s -> !s.isReadOnly())
            .ifPresent(
                s -> {
                  JsonNode n = AttributeValues.normalize(s, c.literal(), attr.name());
                  if (n != null) {
                    out.set(s.name(), n);
                  }
                });
      }
    }
    return out;
  }

  private static void addElement(ArrayNode arr, JsonNode e, AttributeDef attr) {
    for (JsonNode existing : arr) {
      if (sameValue(existing, e, attr)) {
        if (existing.isObject() && e.isObject()) {
          if (isPrimary(e)) {
            clearPrimary(arr, (ObjectNode) existing);
          }
          mergeInto((ObjectNode) existing, e);
        }
        return;
      }
    }
    if (isPrimary(e)) {
      clearPrimary(arr, null);
    }
    arr.add(e);
  }

  /** Same {@code value} (and {@code type}, when both have one); whole equality otherwise. */
  private static boolean sameValue(JsonNode a, JsonNode b, AttributeDef attr) {
    if (a.isObject() && b.isObject() && a.has("value") && b.has("value")) {
      boolean exact = attr.subAttribute("value").map(AttributeDef::caseExact).orElse(false);
      String av = a.get("value").asText();
      String bv = b.get("value").asText();
      boolean sameV = exact ? av.equals(bv) : av.equalsIgnoreCase(bv);
      if (!sameV) {
        return false;
      }
      JsonNode at = a.get("type");
      JsonNode bt = b.get("type");
      return at == null
          || bt == null
          || at.asText().toLowerCase(Locale.ROOT).equals(bt.asText().toLowerCase(Locale.ROOT));
    }
    return a.equals(b);
  }

  private static boolean isPrimary(JsonNode e) {
    JsonNode p = e.get("primary");
    return p != null && p.isBoolean() && p.booleanValue();
  }

  /** RFC 7643 §2.4: one primary value; the new one wins. */
  private static void clearPrimary(ArrayNode arr, ObjectNode keep) {
    for (JsonNode e : arr) {
      if (e != keep && e.isObject() && isPrimary(e)) {
        ((ObjectNode) e).put("primary", false);
      }
    }
  }

  private static void removeEmptyElements(ArrayNode arr) {
    for (int i = arr.size() - 1; i >= 0; i--) {
      JsonNode e = arr.get(i);
      if (e.isObject() && e.isEmpty()) {
        arr.remove(i);
      }
    }
  }
}
