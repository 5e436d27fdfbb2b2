package io.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import io.switchboard.store.MemberRef;
import io.switchboard.store.ResourceKind;
import io.switchboard.store.StoredResource;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A stored resource as clients see it: {@code schemas}, {@code id}, the document's attributes, the
 * computed read-only {@code groups} (users) or {@code members} (groups), and a complete {@code
 * meta} (RFC 7643 §3.1). {@code password} is never rendered: it is never stored.
 */
public final class ResourceRenderer {
  private ResourceRenderer() {}

  public static String location(String baseUrl, StoredResource r) {
    return baseUrl + "/" + r.kind().endpoint() + "/" + r.id();
  }

  public static ObjectNode render(StoredResource r, String baseUrl) {
    ObjectNode out = ScimJson.object();
    JsonNode schemas = r.document().get("schemas");
    if (schemas != null) {
      out.set("schemas", schemas);
    }
    out.put("id", r.id().toString());
    JsonNode external = r.document().get("externalId");
    if (external != null) {
      out.set("externalId", external);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = r.document().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      if (!name.equals("schemas") && !name.equals("externalId") && !name.equals("password")) {
        out.set(name, e.getValue());
      }
    }
    if (r.kind() == ResourceKind.USER && r.groups() != null) {
      out.set("groups", refs(r.groups(), baseUrl, true));
    }
    if (r.kind() == ResourceKind.GROUP && r.members() != null) {
      out.set("members", refs(r.members(), baseUrl, false));
    }
    ObjectNode meta = out.putObject("meta");
    meta.put("resourceType", r.kind().resourceType());
    meta.put("created", r.created().toString());
    meta.put("lastModified", r.lastModified().toString());
    meta.put("location", location(baseUrl, r));
    meta.put("version", r.etag());
    return out;
  }

  private static ArrayNode refs(List<MemberRef> refs, String baseUrl, boolean groupsOfUser) {
    ArrayNode arr = ScimJson.NODES.arrayNode();
    for (MemberRef ref : refs) {
      ObjectNode o = arr.addObject();
      o.put("value", ref.id().toString());
      String endpoint =
          groupsOfUser || "Group".equals(ref.type()) ? ResourceKind.GROUP.endpoint() : "Users";
      o.put("$ref", baseUrl + "/" + endpoint + "/" + ref.id());
      if (ref.display() != null) {
        o.put("display", ref.display());
      }
      o.put("type", ref.type());
    }
    return arr;
  }

  /** {@code W/"3"}, {@code "3"} or {@code *} to a version (null for *, -1 if unparseable). */
  public static Long parseEtag(String header) {
    if (header == null) {
      return null;
    }
    String v = header.trim();
    if (v.equals("*")) {
      return null;
    }
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return -1L;
    }
  }
}
