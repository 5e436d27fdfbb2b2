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
