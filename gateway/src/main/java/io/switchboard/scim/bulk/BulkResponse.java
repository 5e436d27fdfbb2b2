package io.switchboard.scim.bulk;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import java.util.List;

/**
 * The RFC 7644 §3.7 bulk response envelope and its per-operation entries ({@code status} is a
 * string, as the RFC's examples show).
 *
 * <p>Usage: {@code BulkResponse.of(List.of(BulkResponse.entry(op, location, 201, null)))}
 */
public final class BulkResponse {
  public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

  private BulkResponse() {}

  public static ObjectNode of(List<ObjectNode> entries) {
    ObjectNode out = ScimJson.object();
    out.putArray("schemas").add(SCHEMA);
    ArrayNode ops = out.putArray("Operations");
    entries.forEach(ops::add);
    return out;
  }

  /**
   * One operation's outcome; {@code location} and {@code response} (an error body for failures) may
   * be null.
   */
  public static ObjectNode entry(
      BulkOperation op, String location, int status, ObjectNode response) {
    ObjectNode e = ScimJson.object();
    e.put("method", op.method().name());
    op.bulkId().ifPresent(b -> e.put("bulkId", b));
    op.version().ifPresent(v -> e.put("version", v));
    if (location != null) {
      e.put("location", location);
    }
    e.put("status", Integer.toString(status));
    if (response != null) {
      e.set("response", response);
    }
    return e;
  }
}
