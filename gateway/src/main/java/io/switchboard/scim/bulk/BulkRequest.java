package io.switchboard.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed bulk request (RFC 7644 §3.7): schema, {@code failOnErrors} and operations, each checked
 * for shape; more operations than {@code bulkMaxOperations} is 413 {@code tooMany}. Checking the
 * raw payload size against {@code bulkMaxPayloadSize} is the caller's job (it has the bytes).
 *
 * <p>Usage: {@code BulkRequest bulk = BulkRequest.parse(body, limits);}
 */
public final class BulkRequest {
  public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  private static final String PREFIX = "bulkId:";

  private final List<BulkOperation> operations;
  private final int failOnErrors;

  private BulkRequest(List<BulkOperation> operations, int failOnErrors) {
    this.operations = List.copyOf(operations);
    this.failOnErrors = failOnErrors;
  }

  public List<BulkOperation> operations() {
    return operations;
  }

  /** Stop after this many errors; 0 means process every operation (RFC 7644 §3.7.3). */
  public int failOnErrors() {
    return failOnErrors;
  }

  public static BulkRequest parse(JsonNode body, ServiceLimits limits) {
    if (!limits.bulkSupported()) {
      throw new ScimException(501, null, "Bulk operations are not supported.");
    }
    if (body == null || !body.isObject()) {
      throw ScimException.invalidSyntax("The bulk request must be a JSON object.");
    }
    JsonNode schemas = ResolvedAttribute.field(body, "schemas");
    boolean schemaOk = false;
    if (schemas != null && schemas.isArray()) {
      for (JsonNode s : schemas) {
        schemaOk |= s.isTextual() && s.textValue().trim().equalsIgnoreCase(SCHEMA);
      }
    }
    if (!schemaOk) {
      throw ScimException.invalidSyntax("A bulk request must declare the schema " + SCHEMA + ".");
    }
    int failOnErrors = 0;
    JsonNode foe = ResolvedAttribute.field(body, "failOnErrors");
    if (foe != null && !foe.isNull()) {
      if (!foe.canConvertToInt() || !foe.isIntegralNumber() || foe.intValue() < 0) {
        throw ScimException.invalidValue("'failOnErrors' must be a non-negative integer.");
      }
      failOnErrors = foe.intValue();
    }
    JsonNode ops = ResolvedAttribute.field(body, "Operations");
    if (ops == null || !ops.isArray()) {
      throw ScimException.invalidSyntax("The bulk request has no 'Operations' array.");
    }
    if (ops.isEmpty()) {
      throw ScimException.invalidValue("'Operations' is empty; at least one is required.");
    }
    if (ops.size() > limits.bulkMaxOperations()) {
      // RFC 7644 §3.7.4
      throw ScimException.payloadTooLarge(
          "The bulk request has "
              + ops.size()
              + " operations; at most "
              + limits.bulkMaxOperations()
              + " are allowed.");
    }
    List<BulkOperation> out = new ArrayList<>();
    Set<String> bulkIds = new HashSet<>();
    int i = 0;
    for (JsonNode o : ops) {
      BulkOperation op = operation(o, ++i);
      if (op.bulkId().isPresent() && !bulkIds.add(op.bulkId().get())) {
        throw ScimException.invalidValue("Operation " + i + " repeats a bulkId.");
      }
      out.add(op);
    }
    return new BulkRequest(out, failOnErrors);
  }

  private static BulkOperation operation(JsonNode o, int n) {
    String where = "Operation " + n;
    if (!o.isObject()) {
      throw ScimException.invalidSyntax(where + " must be an object.");
    }
    String methodText = text(o, "method", where);
    BulkOperation.Method method;
    try {
      method = BulkOperation.Method.valueOf(methodText.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ScimException.invalidValue(where + ": 'method' must be POST, PUT, PATCH or DELETE.");
    }
    Optional<String> bulkId = optionalText(o, "bulkId", where);
    Optional<String> version = optionalText(o, "version", where);
    String path = text(o, "path", where).trim();
    String p = path.startsWith("/") ? path.substring(1) : path;
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    String[] parts = p.split("/", -1);
    ResourceType type =
        ResourceType.fromName(parts[0])
            .orElseThrow(
                () ->
                    ScimException.invalidPath(
                        where + ": 'path' must start with /Users or /Groups."));
    if (parts.length > 2 || (parts.length == 2 && parts[1].isBlank())) {
      throw ScimException.invalidPath(where + ": 'path' must be /Users, /Groups or one resource.");
    }
    Optional<String> resourceId = parts.length == 2 ? Optional.of(parts[1]) : Optional.empty();
    if (method == BulkOperation.Method.POST) {
      if (resourceId.isPresent()) {
        throw ScimException.invalidPath(where + ": POST goes to the collection, not a resource.");
      }
      if (bulkId.isEmpty()) {
        throw ScimException.invalidValue(where + ": POST needs a 'bulkId'.");
      }
    } else if (resourceId.isEmpty()) {
      throw ScimException.invalidPath(where + ": " + method + " needs a resource in 'path'.");
    }
    JsonNode data = ResolvedAttribute.field(o, "data");
    if (method != BulkOperation.Method.DELETE && (data == null || !data.isObject())) {
      throw ScimException.invalidSyntax(where + ": " + method + " needs a 'data' object.");
    }
    return new BulkOperation(
        method,
        bulkId,
        version,
        path,
        type,
        resourceId,
        data == null ? MissingNode.getInstance() : data);
  }

  private static String text(JsonNode o, String name, String where) {
    JsonNode v = ResolvedAttribute.field(o, name);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw ScimException.invalidSyntax(where + " needs '" + name + "'.");
    }
    return v.textValue();
  }

  private static Optional<String> optionalText(JsonNode o, String name, String where) {
    JsonNode v = ResolvedAttribute.field(o, name);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.textValue().isBlank()) {
      throw ScimException.invalidValue(where + ": '" + name + "' must be a non-empty string.");
    }
    return Optional.of(v.textValue());
  }

  /** Every {@code bulkId:x} the node refers to (as x), in order of appearance. */
  public static Set<String> referencedBulkIds(JsonNode node) {
    Set<String> out = new LinkedHashSet<>();
    collect(node, out);
    return out;
  }

  private static void collect(JsonNode node, Set<String> out) {
    if (node == null) {
      return;
    }
    if (node.isTextual() && node.textValue().startsWith(PREFIX)) {
      out.add(node.textValue().substring(PREFIX.length()));
    } else if (node.isContainerNode()) {
      node.forEach(c -> collect(c, out));
    }
  }

  /**
   * A copy of {@code node} with each {@code bulkId:x} string replaced by the id created for x. A
   * reference to nothing created so far fails the operation with 400 {@code invalidValue} (RFC 7644
   * §3.7.2).
   */
  public static JsonNode resolveBulkIds(JsonNode node, Map<String, String> createdIds) {
    if (node == null) {
      return null;
    }
    if (node.isTextual() && node.textValue().startsWith(PREFIX)) {
      String id = createdIds.get(node.textValue().substring(PREFIX.length()));
      if (id == null) {
        throw ScimException.invalidValue("A bulkId reference names no resource created so far.");
      }
      return TextNode.valueOf(id);
    }
    if (node.isObject()) {
      ObjectNode out = ((ObjectNode) node).objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), resolveBulkIds(e.getValue(), createdIds));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = ((ArrayNode) node).arrayNode();
      node.forEach(c -> out.add(resolveBulkIds(c, createdIds)));
      return out;
    }
    return node;
  }
}
