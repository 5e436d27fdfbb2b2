package io.switchboard.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.SchemaUrns;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed PATCH body (RFC 7644 §3.5.2): the PatchOp schema, then up to {@code maxPatchOperations}
 * operations. Operation names in any case; member names of the body case-insensitive.
 *
 * <p>Usage: {@code PatchRequest.parse(body, limits).operations()}
 */
public final class PatchRequest {
  private final List<PatchOperation> operations;

  private PatchRequest(List<PatchOperation> operations) {
    this.operations = List.copyOf(operations);
  }

  public List<PatchOperation> operations() {
    return operations;
  }

  public static PatchRequest parse(JsonNode body, ServiceLimits limits) {
    if (body == null || !body.isObject()) {
      throw ScimException.invalidSyntax("The PATCH body must be a JSON object.");
    }
    checkSchemas(ResolvedAttribute.field(body, "schemas"));
    JsonNode ops = ResolvedAttribute.field(body, "Operations");
    if (ops == null || ops.isNull()) {
      throw ScimException.invalidSyntax("The PATCH body has no 'Operations'.");
    }
    if (!ops.isArray()) {
      throw ScimException.invalidSyntax("'Operations' must be an array.");
    }
    if (ops.isEmpty()) {
      throw ScimException.invalidValue("'Operations' is empty; at least one is required.");
    }
    if (ops.size() > limits.maxPatchOperations()) {
      throw ScimException.tooMany(
          "The PATCH has "
              + ops.size()
              + " operations; at most "
              + limits.maxPatchOperations()
              + " are allowed.");
    }
    List<PatchOperation> out = new ArrayList<>(ops.size());
    int i = 0;
    for (JsonNode o : ops) {
      out.add(operation(o, i++));
    }
    return new PatchRequest(out);
  }

  private static void checkSchemas(JsonNode schemas) {
    if (schemas == null || schemas.isNull()) {
      // some IdP templates omit it; the body's shape (Operations) is unambiguous. A body that
      // names another schema is still refused below.
      return;
    }
    if (schemas != null
        && schemas.isTextual()
        && schemas.textValue().equalsIgnoreCase(SchemaUrns.PATCH_OP)) {
      return;
    }
    if (schemas != null && schemas.isArray()) {
      for (JsonNode s : schemas) {
        if (s.isTextual() && s.textValue().trim().equalsIgnoreCase(SchemaUrns.PATCH_OP)) {
          return;
        }
      }
    }
    throw ScimException.invalidSyntax(
        "A PATCH body must declare the schema " + SchemaUrns.PATCH_OP + ".");
  }

  private static PatchOperation operation(JsonNode o, int index) {
    String where = "Operation " + (index + 1);
    if (!o.isObject()) {
      throw ScimException.invalidSyntax(where + " must be an object.");
    }
    JsonNode opNode = ResolvedAttribute.field(o, "op");
    if (opNode == null || !opNode.isTextual()) {
      throw ScimException.invalidSyntax(where + " has no 'op'.");
    }
    PatchOperation.Op op =
        PatchOperation.Op.fromName(opNode.textValue())
            .orElseThrow(
                () ->
                    ScimException.invalidSyntax(
                        where + " has an unknown 'op'; expected add, remove or replace."));
    JsonNode pathNode = ResolvedAttribute.field(o, "path");
    Optional<PatchPath> path = Optional.empty();
    if (pathNode != null && !pathNode.isNull()) {
      if (!pathNode.isTextual()) {
        throw ScimException.invalidPath(where + ": 'path' must be a string.");
      }
      if (!pathNode.textValue().isBlank()) {
        path = Optional.of(PatchPath.parse(pathNode.textValue()));
      }
    }
    JsonNode value = ResolvedAttribute.field(o, "value");
    if (value == null) {
      value = MissingNode.getInstance();
    }
    switch (op) {
      case REMOVE -> {
        if (path.isEmpty()) {
          // RFC 7644 §3.5.2.2
          throw ScimException.noTarget(where + ": remove needs a 'path'.");
        }
      }
      case ADD, REPLACE -> {
        if (value.isMissingNode()) {
          throw ScimException.invalidValue(
              where + ": " + op.name().toLowerCase(java.util.Locale.ROOT) + " needs a 'value'.");
        }
        if (path.isEmpty() && !value.isObject()) {
          throw ScimException.invalidValue(
              where + ": without a 'path' the 'value' must be an object of attributes.");
        }
      }
    }
    return new PatchOperation(op, path, value);
  }
}
