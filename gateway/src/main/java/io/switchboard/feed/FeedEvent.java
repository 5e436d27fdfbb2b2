package io.switchboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimJson;
import java.time.Instant;
import java.util.UUID;

/**
 * One event of a tenant's change feed, decrypted: what the pull API returns and a webhook delivers.
 * {@code id} (the event id) is the idempotency key; {@code seq} is the gap-free position in the
 * tenant's feed and the cursor.
 */
public record FeedEvent(
    long id,
    long seq,
    UUID tenantId,
    String type,
    String resourceType,
    UUID resourceId,
    long version,
    Instant occurredAt,
    String requestId,
    ObjectNode data) {

  /** The wire form, identical in the pull API and in webhook bodies. */
  public ObjectNode toJson() {
    ObjectNode json = ScimJson.object();
    json.put("id", String.valueOf(id));
    json.put("seq", seq);
    json.put("tenantId", tenantId.toString());
    json.put("type", type);
    json.put("resourceType", resourceType);
    json.put("resourceId", resourceId.toString());
    json.put("version", version);
    json.put("occurredAt", occurredAt.toString());
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    json.set("data", data);
    return json;
  }
}
