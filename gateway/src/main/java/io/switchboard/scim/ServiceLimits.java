package io.switchboard.scim;

/**
 * What the service advertises and enforces per request (RFC 7643 §5): page size, PATCH size and
 * bulk limits.
 *
 * <p>Usage: {@code ListQuery.parse(params, ServiceLimits.DEFAULT)}
 */
public record ServiceLimits(
    int maxResults,
    int maxPatchOperations,
    boolean bulkSupported,
    int bulkMaxOperations,
    int bulkMaxPayloadSize) {

  public static final ServiceLimits DEFAULT = new ServiceLimits(1000, 1000, true, 1000, 1048576);

  public ServiceLimits {
    if (maxResults < 1) {
      throw new IllegalArgumentException("maxResults must be at least 1");
    }
    if (maxPatchOperations < 1) {
      throw new IllegalArgumentException("maxPatchOperations must be at least 1");
    }
    if (bulkMaxOperations < 0 || bulkMaxPayloadSize < 0) {
      throw new IllegalArgumentException("bulk limits must not be negative");
    }
  }
}
