package io.switchboard.scim;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The one JSON configuration for SCIM payloads: strict (duplicate keys rejected), bounded (nesting
 * depth, string and number lengths) and never echoing input in its error messages.
 *
 * <p>Usage: {@code JsonNode body = ScimJson.parse(bytes);}
 */
public final class ScimJson {
  /** SCIM resources are shallow; anything deeper than this is hostile or broken. */
  public static final int MAX_NESTING_DEPTH = 64;

  public static final ObjectMapper MAPPER =
      JsonMapper.builder(
              new com.fasterxml.jackson.core.JsonFactoryBuilder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_NESTING_DEPTH)
                          .maxNumberLength(100)
                          .maxStringLength(16 * 1024 * 1024)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ScimJson() {}

  /** Parses a request body; any problem is a 400 {@code invalidSyntax} with a safe detail. */
  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw ScimException.invalidSyntax("The request body is empty; a JSON object is required.");
    }
    try (JsonParser p = MAPPER.createParser(body)) {
      JsonNode node = MAPPER.readTree(p);
      if (node == null || node.isMissingNode()) {
        throw ScimException.invalidSyntax("The request body is empty; a JSON object is required.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ScimException.invalidSyntax(describe(e));
    } catch (NumberFormatException e) {
      // Jackson throws this bare for a number whose exponent does not fit an int (1e9999999999);
      // found by fuzzing, it was a 500.
      throw ScimException.invalidSyntax("Malformed JSON: a number is out of range.");
    } catch (IOException e) {
      throw ScimException.invalidSyntax("The request body could not be read as JSON.");
    }
  }

  /** Parses a body that must be a JSON object. */
  public static ObjectNode parseObject(byte[] body) {
    JsonNode node = parse(body);
    if (!node.isObject()) {
      throw ScimException.invalidSyntax("The request body must be a JSON object.");
    }
    return (ObjectNode) node;
  }

  public static byte[] write(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise JSON", e);
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  // Jackson's messages quote the offending input; keep only position and a generic reason.
  private static String describe(JsonProcessingException e) {
    String reason;
    String raw = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (raw.contains("Duplicate field")) {
      reason = "a member name appears twice in one object";
    } else if (raw.contains("nesting depth")) {
      reason = "the document is nested deeper than " + MAX_NESTING_DEPTH + " levels";
    } else if (raw.contains("length") && raw.contains("exceeds")) {
      reason = "a value is longer than allowed";
    } else if (raw.contains("end-of-input") || raw.contains("Unexpected end")) {
      reason = "the document ends early";
    } else if (raw.contains("Trailing token")) {
      reason = "there is content after the JSON value";
    } else {
      reason = "the body is not valid JSON";
    }
    var loc = e.getLocation();
    String where =
        loc == null || loc.getLineNr() < 0
            ? ""
            : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    return "Malformed JSON: " + reason + where + ".";
  }
}
