package io.switchboard.scim.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.scim.schema.ResourceType;
import java.util.Optional;

/**
 * One operation of a bulk request (RFC 7644 §3.7): method, target and data, checked for shape.
 * {@code resourceId} is empty for POST (which names the collection) and present otherwise; it may
 * itself be a {@code bulkId:} reference to a resource created earlier in the request.
 *
 * <p>Usage: {@code if (op.method() == Method.POST) create(op.resourceType(), op.data());}
 */
public record BulkOperation(
    Method method,
    Optional<String> bulkId,
    Optional<String> version,
    String path,
    ResourceType resourceType,
    Optional<String> resourceId,
    JsonNode data) {

  /** The methods a bulk operation may use. */
  public enum Method {
    POST,
    PUT,
    PATCH,
    DELETE
  }
}
