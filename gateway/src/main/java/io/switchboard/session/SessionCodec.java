package io.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The versioned JSON form of a {@link ScimSession}:
 *
 * <pre>{@code
 * {
 *   "format": "switchboard.scimsession/1",
 *   "tenantId": "5f0c...",
 *   "createdAt": "2026-11-28T10:00:00Z",
 *   "currentKeyVersion": 1,
 *   "indexKeyVersion": 1,
 *   "accountKeys": [ { "version": 1, "key": "<base64, 32 bytes>", "createdAt": "..." } ],
 *   "verifiers": { "<tokenId>": { "salt": "<base64>", "hmac": "<base64>",
 *                                 "createdAt": "...", "expiresAt": null } }
 * }
 * }</pre>
 */
public final class SessionCodec {
  public static final String FORMAT = "switchboard.scimsession/1";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private SessionCodec() {}

  public static ObjectNode toJson(ScimSession s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("tenantId", s.tenantId().toString());
    root.put("createdAt", s.createdAt().toString());
    root.put("currentKeyVersion", s.currentKeyVersion());
    root.put("indexKeyVersion", s.indexKeyVersion());
    ArrayNode keys = root.putArray("accountKeys");
    for (ScimSession.AccountKey k : s.accountKeys().values()) {
      keys.addObject()
          .put("version", k.version())
          .put("key", B64.encodeToString(k.key()))
          .put("createdAt", k.createdAt().toString());
    }
    ObjectNode verifiers = root.putObject("verifiers");
    s.verifiers()
        .forEach(
            (id, v) -> {
              ObjectNode o =
                  verifiers
                      .putObject(id)
                      .put("salt", B64.encodeToString(v.salt()))
                      .put("hmac", B64.encodeToString(v.hmac()))
                      .put("createdAt", v.createdAt().toString());
              if (v.expiresAt() == null) {
                o.putNull("expiresAt");
              } else {
                o.put("expiresAt", v.expiresAt().toString());
              }
            });
    return root;
  }

  public static byte[] toBytes(ScimSession s) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(toJson(s));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Parses and validates a session; the message of the exception names what is wrong. */
  public static ScimSession fromJson(JsonNode root) {
    try {
      if (root == null || !root.isObject()) {
        throw new InvalidSessionException("a scimsession must be a JSON object");
      }
      String format = text(root, "format");
      if (!FORMAT.equals(format)) {
        throw new InvalidSessionException("unsupported scimsession format: " + format);
      }
      UUID tenantId = UUID.fromString(text(root, "tenantId"));
      Instant createdAt = Instant.parse(text(root, "createdAt"));
      int current = root.path("currentKeyVersion").asInt(-1);
      int index = root.path("indexKeyVersion").asInt(-1);
      Map<Integer, ScimSession.AccountKey> keys = new TreeMap<>();
      JsonNode keyArray = root.path("accountKeys");
      if (!keyArray.isArray() || keyArray.isEmpty()) {
        throw new InvalidSessionException("scimsession has no accountKeys");
      }
      for (JsonNode k : keyArray) {
        int version = k.path("version").asInt(-1);
        keys.put(
            version,
            new ScimSession.AccountKey(
                version, B64D.decode(text(k, "key")), Instant.parse(text(k, "createdAt"))));
      }
      Map<String, ScimSession.TokenVerifier> verifiers = new LinkedHashMap<>();
      JsonNode vs = root.path("verifiers");
      for (Iterator<Map.Entry<String, JsonNode>> it = vs.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        JsonNode exp = v.path("expiresAt");
        verifiers.put(
            e.getKey(),
            new ScimSession.TokenVerifier(
                B64D.decode(text(v, "salt")),
                B64D.decode(text(v, "hmac")),
                Instant.parse(text(v, "createdAt")),
                exp.isTextual() ? Instant.parse(exp.asText()) : null));
      }
      return new ScimSession(
          ScimSession.FORMAT, tenantId, createdAt, current, index, keys, verifiers);
    } catch (InvalidSessionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidSessionException(
          "scimsession is malformed: " + e.getClass().getSimpleName());
    }
  }

  public static ScimSession fromBytes(byte[] json) {
    try {
      return fromJson(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new InvalidSessionException("scimsession is not valid JSON");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new InvalidSessionException("scimsession field '" + field + "' is missing");
    }
    return v.asText();
  }

  /** The stored session cannot be used. Its message never contains key material. */
  public static final class InvalidSessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSessionException(String message) {
      super(message);
    }
  }
}
