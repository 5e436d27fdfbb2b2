package io.switchboard.scim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The RFC 7644 §3.4.2 list envelope. Counts are JSON integers, never strings: several IdPs reject
 * {@code "totalResults":"3"}.
 *
 * <p>Usage: {@code ListResponse.of(page, total, query.startIndex())}
 */
public final class ListResponse {
  public static final String SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  private ListResponse() {}

  public static ObjectNode of(
      List<? extends JsonNode> resources, long totalResults, int startIndex) {
    ObjectNode out = ScimJson.object();
    out.putArray("schemas").add(SCHEMA);
    out.put("totalResults", totalResults);
    out.put("itemsPerPage", resources.size());
    out.put("startIndex", Math.max(1, startIndex));
    ArrayNode arr = out.putArray("Resources");
    for (JsonNode r : resources) {
      arr.add(r);
    }
    return out;
  }
}
