package io.switchboard.scim.schema;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ListResponse;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.ServiceLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The RFC 7644 §4 discovery endpoints' bodies, built once per (registry, limits, base URL). Callers
 * get deep copies, so a handler may decorate what it returns.
 *
 * <p>Usage: {@code DiscoveryDocuments.create(SchemaRegistry.standard(), limits,
 * "https://gw/scim/v2").serviceProviderConfig()}
 */
public final class DiscoveryDocuments {
  private final ObjectNode serviceProviderConfig;
  private final Map<String, ObjectNode> resourceTypes = new LinkedHashMap<>();
  private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();

  private DiscoveryDocuments(SchemaRegistry registry, ServiceLimits limits, String baseUrl) {
    String base = baseUrl == null ? "" : baseUrl;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    this.serviceProviderConfig = buildConfig(limits, base);
    for (ResourceType t : ResourceType.values()) {
      resourceTypes.put(t.typeName(), buildResourceType(registry, t, base));
    }
    for (SchemaDef s : registry.schemas()) {
      schemas.put(s.id(), buildSchema(s, base));
    }
    // the discovery resources this service serves are described too (RFC 7643 §5-§7, §8.7.2)
    for (ObjectNode d : discoverySchemas(base)) {
      schemas.put(d.get("id").asText(), d);
    }
  }

  private static final String CORE = "urn:ietf:params:scim:schemas:core:2.0:";

  private static List<ObjectNode> discoverySchemas(String base) {
    ObjectNode spc =
        discoverySchema(
            base,
            "ServiceProviderConfig",
            "Service Provider Configuration",
            ref("documentationUri"),
            supported("patch"),
            complex(
                "bulk",
                false,
                bool("supported", true),
                integer("maxOperations"),
                integer("maxPayloadSize")),
            complex("filter", false, bool("supported", true), integer("maxResults")),
            supported("changePassword"),
            supported("sort"),
            supported("etag"),
            complex(
                "authenticationSchemes",
                true,
                string("type", true),
                string("name", true),
                string("description", true),
                ref("specUri"),
                ref("documentationUri")));
    ObjectNode resourceType =
        discoverySchema(
            base,
            "ResourceType",
            "Resource Type",
            string("id", false),
            string("name", true),
            string("description", false),
            ref("endpoint"),
            ref("schema"),
            complex("schemaExtensions", true, ref("schema"), bool("required", true)));
    ObjectNode schema =
        discoverySchema(
            base,
            "Schema",
            "Schema",
            string("id", true),
            string("name", false),
            string("description", false),
            complex(
                "attributes",
                true,
                string("name", true),
                string("type", true),
                bool("multiValued", true),
                string("description", false),
                bool("required", false),
                string("canonicalValues", false),
                bool("caseExact", false),
                string("mutability", false),
                string("returned", false),
                string("uniqueness", false),
                string("referenceTypes", false),
                complex("subAttributes", true, string("name", true), string("type", true))));
    return List.of(spc, resourceType, schema);
  }

  private static ObjectNode discoverySchema(
      String base, String name, String description, ObjectNode... attributes) {
    ObjectNode o = ScimJson.object();
    o.putArray("schemas").add(SchemaUrns.SCHEMA);
    o.put("id", CORE + name);
    o.put("name", name);
    o.put("description", description);
    ArrayNode attrs = o.putArray("attributes");
    for (ObjectNode a : attributes) {
      attrs.add(a);
    }
    ObjectNode meta = o.putObject("meta");
    meta.put("resourceType", "Schema");
    meta.put("location", base + "/Schemas/" + CORE + name);
    return o;
  }

  private static ObjectNode attribute(String name, String type, boolean multi, boolean required) {
    ObjectNode o = ScimJson.object();
    o.put("name", name);
    o.put("type", type);
    o.put("multiValued", multi);
    o.put("required", required);
    if (type.equals("string") || type.equals("reference")) {
      o.put("caseExact", false);
    }
    o.put("mutability", "readOnly");
    o.put("returned", "default");
    o.put("uniqueness", "none");
    return o;
  }

  private static ObjectNode string(String name, boolean required) {
    return attribute(name, "string", false, required);
  }

  private static ObjectNode bool(String name, boolean required) {
    return attribute(name, "boolean", false, required);
  }

  private static ObjectNode integer(String name) {
    return attribute(name, "integer", false, false);
  }

  private static ObjectNode ref(String name) {
    ObjectNode o = attribute(name, "reference", false, false);
    o.putArray("referenceTypes").add("external");
    return o;
  }

  private static ObjectNode supported(String name) {
    return complex(name, false, bool("supported", true));
  }

  private static ObjectNode complex(String name, boolean multi, ObjectNode... subs) {
    ObjectNode o = attribute(name, "complex", multi, !multi);
    ArrayNode sub = o.putArray("subAttributes");
    for (ObjectNode a : subs) {
      sub.add(a);
    }
    return o;
  }

  public static DiscoveryDocuments create(
      SchemaRegistry registry, ServiceLimits limits, String baseUrl) {
    return new DiscoveryDocuments(registry, limits, baseUrl);
  }

  /** RFC 7643 §5. */
  public ObjectNode serviceProviderConfig() {
    return serviceProviderConfig.deepCopy();
  }

  /** RFC 7644 §4: every resource type as a ListResponse. */
  public ObjectNode resourceTypes() {
    return ListResponse.of(copies(resourceTypes.values()), resourceTypes.size(), 1);
  }

  /** One resource type by id ("User", "Group"), case-insensitively. */
  public Optional<ObjectNode> resourceType(String id) {
    return lookup(resourceTypes, id);
  }

  /** RFC 7644 §4: every schema as a ListResponse. */
  public ObjectNode schemas() {
    return ListResponse.of(copies(schemas.values()), schemas.size(), 1);
  }

  /** One schema by URN, case-insensitively. */
  public Optional<ObjectNode> schema(String urn) {
    return lookup(schemas, urn);
  }

  private static Optional<ObjectNode> lookup(Map<String, ObjectNode> map, String key) {
    if (key == null) {
      return Optional.empty();
    }
    for (Map.Entry<String, ObjectNode> e : map.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return Optional.of(e.getValue().deepCopy());
      }
    }
    return Optional.empty();
  }

  private static List<ObjectNode> copies(Iterable<ObjectNode> nodes) {
    List<ObjectNode> out = new ArrayList<>();
    nodes.forEach(n -> out.add(n.deepCopy()));
    return out;
  }

  private static ObjectNode buildConfig(ServiceLimits limits, String base) {
    ObjectNode o = ScimJson.object();
    o.putArray("schemas").add(SchemaUrns.SERVICE_PROVIDER_CONFIG);
    o.put("documentationUri", "https://www.rfc-editor.org/rfc/rfc7644");
    o.putObject("patch").put("supported", true);
    ObjectNode bulk = o.putObject("bulk");
    bulk.put("supported", limits.bulkSupported());
    bulk.put("maxOperations", limits.bulkSupported() ? limits.bulkMaxOperations() : 0);
    bulk.put("maxPayloadSize", limits.bulkSupported() ? limits.bulkMaxPayloadSize() : 0);
    ObjectNode filter = o.putObject("filter");
    filter.put("supported", true);
    filter.put("maxResults", limits.maxResults());
    o.putObject("changePassword").put("supported", false);
    o.putObject("sort").put("supported", true);
    o.putObject("etag").put("supported", true);
    ArrayNode auth = o.putArray("authenticationSchemes");
    ObjectNode bearer = auth.addObject();
    bearer.put("type", "oauthbearertoken");
    bearer.put("name", "OAuth Bearer Token");
    bearer.put("description", "Authentication with the bearer token issued for the tenant.");
    bearer.put("specUri", "https://www.rfc-editor.org/info/rfc6750");
    bearer.put("primary", true);
    ObjectNode meta = o.putObject("meta");
    meta.put("resourceType", "ServiceProviderConfig");
    meta.put("location", base + "/ServiceProviderConfig");
    return o;
  }

  private static ObjectNode buildResourceType(
      SchemaRegistry registry, ResourceType t, String base) {
    ObjectNode o = ScimJson.object();
    o.putArray("schemas").add(SchemaUrns.RESOURCE_TYPE);
    o.put("id", t.typeName());
    o.put("name", t.typeName());
    o.put("endpoint", t.endpoint());
    o.put("description", t == ResourceType.USER ? "User Account" : "Group");
    o.put("schema", t.schemaUrn());
    ArrayNode exts = o.putArray("schemaExtensions");
    for (SchemaDef ext : registry.extensions(t)) {
      ObjectNode e = exts.addObject();
      e.put("schema", ext.id());
      e.put("required", false);
    }
    ObjectNode meta = o.putObject("meta");
    meta.put("resourceType", "ResourceType");
    meta.put("location", base + "/ResourceTypes/" + t.typeName());
    return o;
  }

  private static ObjectNode buildSchema(SchemaDef s, String base) {
    ObjectNode o = ScimJson.object();
    o.putArray("schemas").add(SchemaUrns.SCHEMA);
    o.put("id", s.id());
    o.put("name", s.name());
    o.put("description", s.description());
    ArrayNode attrs = o.putArray("attributes");
    for (AttributeDef a : s.attributes()) {
      attrs.add(describe(a));
    }
    ObjectNode meta = o.putObject("meta");
    meta.put("resourceType", "Schema");
    meta.put("location", base + "/Schemas/" + s.id());
    return o;
  }

  private static ObjectNode describe(AttributeDef a) {
    ObjectNode o = ScimJson.object();
    o.put("name", a.name());
    o.put("type", a.type().keyword());
    o.put("multiValued", a.multiValued());
    o.put("description", a.description());
    o.put("required", a.required());
    if (!a.canonicalValues().isEmpty()) {
      ArrayNode cv = o.putArray("canonicalValues");
      a.canonicalValues().forEach(cv::add);
    }
    if (a.type() != AttributeDef.Type.COMPLEX && a.type() != AttributeDef.Type.BOOLEAN) {
      o.put("caseExact", a.caseExact());
    }
    o.put("mutability", a.mutability().keyword());
    o.put("returned", a.returned().keyword());
    o.put("uniqueness", a.uniqueness().keyword());
    if (!a.referenceTypes().isEmpty()) {
      ArrayNode rt = o.putArray("referenceTypes");
      a.referenceTypes().forEach(rt::add);
    }
    if (a.isComplex()) {
      ArrayNode subs = o.putArray("subAttributes");
      for (AttributeDef s : a.subAttributes()) {
        subs.add(describe(s));
      }
    }
    return o;
  }
}
