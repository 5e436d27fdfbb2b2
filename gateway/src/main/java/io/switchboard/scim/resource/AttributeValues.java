package io.switchboard.scim.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.filter.FilterEvaluator;
import io.switchboard.scim.schema.AttributeDef;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Brings one attribute value into the shape its definition demands, tolerating what IdPs send:
 * {@code "True"} for booleans, a bare id or {@code {"managerId":..}} for {@code manager}, a single
 * object where an array is expected, {@code null} or {@code ""} to clear. Sub-attribute names are
 * matched case-insensitively and written in schema case; unknown and read-only sub-attributes are
 * dropped. A value of the wrong type is 400 {@code invalidValue}. Error details name the attribute,
 * never the value.
 *
 * <p>Usage: {@code JsonNode v = AttributeValues.normalize(attr, body.get("emails"), "emails");}
 * ({@code null} means "no value").
 */
public final class AttributeValues {
  private AttributeValues() {}

  /** The normalised value, or null when the input clears the attribute. */
  public static JsonNode normalize(AttributeDef attr, JsonNode value, String path) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (attr.multiValued()) {
      ArrayNode out = ScimJson.NODES.arrayNode();
      if (value.isArray()) {
        for (JsonNode e : value) {
          JsonNode n = single(attr, e, path);
          if (n != null) {
            out.add(n);
          }
        }
      } else {
        JsonNode n = single(attr, value, path);
        if (n != null) {
          out.add(n);
        }
      }
      if (out.isEmpty()) {
        return null;
      }
      onePrimary(out);
      return out;
    }
    if (value.isArray()) {
      // Entra sends manager as [{"value":..}]; a one-element array for a single value is harmless.
      if (value.isEmpty()) {
        return null;
      }
      if (value.size() == 1) {
        return single(attr, value.get(0), path);
      }
      throw ScimException.invalidValue("The attribute '" + path + "' is single-valued.");
    }
    return single(attr, value, path);
  }

  /** One value (an element of a multi-valued attribute, or a single-valued attribute's value). */
  public static JsonNode single(AttributeDef attr, JsonNode value, String path) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    switch (attr.type()) {
      case COMPLEX -> {
        if (value.isObject()) {
          return complex(attr, (ObjectNode) value, path);
        }
        if (value.isValueNode() && attr.subAttribute("value").isPresent()) {
          // "manager": "id", "emails": ["a@example.com"]
          ObjectNode wrapped = ScimJson.object();
          wrapped.set("value", value);
          return complex(attr, wrapped, path);
        }
        throw ScimException.invalidValue("The attribute '" + path + "' must be an object.");
      }
      case BOOLEAN -> {
        if (value.isBoolean()) {
          return value;
        }
        if (value.isTextual()) {
          String t = value.textValue().trim();
          if (t.isEmpty()) {
            return null;
          }
          if (t.equalsIgnoreCase("true")) {
            return BooleanNode.TRUE;
          }
          if (t.equalsIgnoreCase("false")) {
            return BooleanNode.FALSE;
          }
        }
        throw ScimException.invalidValue("The attribute '" + path + "' must be a boolean.");
      }
      case INTEGER -> {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
          return LongNode.valueOf(value.longValue());
        }
        if (value.isNumber()) {
          BigDecimal d = value.decimalValue();
          try {
            return LongNode.valueOf(d.longValueExact());
          } catch (ArithmeticException e) {
            throw ScimException.invalidValue("The attribute '" + path + "' must be an integer.");
          }
        }
        if (value.isTextual()) {
          String t = value.textValue().trim();
          if (t.isEmpty()) {
            return null;
          }
          try {
            return LongNode.valueOf(Long.parseLong(t));
          } catch (NumberFormatException e) {
            // fall through
          }
        }
        throw ScimException.invalidValue("The attribute '" + path + "' must be an integer.");
      }
      case DECIMAL -> {
        if (value.isNumber()) {
          return DecimalNode.valueOf(value.decimalValue());
        }
        if (value.isTextual()) {
          String t = value.textValue().trim();
          if (t.isEmpty()) {
            return null;
          }
          try {
            return DecimalNode.valueOf(new BigDecimal(t));
          } catch (NumberFormatException e) {
            // fall through
          }
        }
        throw ScimException.invalidValue("The attribute '" + path + "' must be a decimal.");
      }
      case DATE_TIME -> {
        if (value.isTextual()) {
          String t = value.textValue().trim();
          if (t.isEmpty()) {
            return null;
          }
          if (isDateTime(t)) {
            return TextNode.valueOf(t);
          }
        }
        throw ScimException.invalidValue(
            "The attribute '" + path + "' must be an xsd:dateTime such as 2011-05-13T04:42:34Z.");
      }
      default -> {
        // string, reference, binary
        if (value.isTextual()) {
          return value.textValue().isEmpty() ? null : value;
        }
        if (value.isNumber()) {
          // Template-driven clients send employeeNumber: 1234; the text is what they meant. A
          // boolean where text belongs is a mistake, not a dialect (RFC 7643 §2.3.1).
          return TextNode.valueOf(value.asText());
        }
        throw ScimException.invalidValue("The attribute '" + path + "' must be a string.");
      }
    }
  }

  private static JsonNode complex(AttributeDef attr, ObjectNode value, String path) {
    ObjectNode out = ScimJson.object();
    boolean manager = isManager(attr);
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (manager && key.equalsIgnoreCase("managerId")) {
        key = "value"; // OneLogin
        if (value.has("value")) {
          continue;
        }
      }
      AttributeDef sub = attr.subAttribute(key).orElse(null);
      if (sub == null || sub.isReadOnly()) {
        continue;
      }
      JsonNode n = normalize(sub, e.getValue(), path + "." + sub.name());
      if (n != null) {
        out.set(sub.name(), n);
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    if (manager && !out.has("value")) {
      // A manager without an id cannot be stored as a reference; treat it as cleared.
      return null;
    }
    return out;
  }

  /** The enterprise extension's {@code manager}. */
  public static boolean isManager(AttributeDef attr) {
    return attr.name().equals("manager")
        && attr.isComplex()
        && attr.subAttribute("value").isPresent();
  }

  /** RFC 7643 §2.4: at most one value is primary; the first one claiming it keeps it. */
  public static void onePrimary(ArrayNode values) {
    boolean seen = false;
    for (JsonNode e : values) {
      if (e.isObject()) {
        JsonNode p = e.get("primary");
        if (p != null && p.isBoolean() && p.booleanValue()) {
          if (seen) {
            ((ObjectNode) e).put("primary", false);
          }
          seen = true;
        }
      }
    }
  }

  static boolean isDateTime(String t) {
    return FilterEvaluator.instantOf(TextNode.valueOf(t)) != null;
  }
}
