package io.switchboard.scim;

import java.time.Duration;

/**
 * A SCIM error as a value: HTTP status, optional {@code scimType} and a detail safe to show the
 * client (never a secret, a stack trace or another tenant's data). Turned into the RFC 7644 §3.12
 * error body in exactly one place, the router's failure handler.
 *
 * <p>Usage: {@code throw ScimException.invalidFilter("unexpected ')' at position 12");}
 */
public final class ScimException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final ScimType scimType;
  private final Duration retryAfter;

  public ScimException(int status, ScimType scimType, String detail) {
    this(status, scimType, detail, null);
  }

  public ScimException(int status, ScimType scimType, String detail, Duration retryAfter) {
    // No stack trace: these are expected outcomes of bad input, thrown on hot paths.
    super(detail, null, false, false);
    this.status = status;
    this.scimType = scimType;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  /** Null where RFC 7644 defines no keyword for the error. */
  public ScimType scimType() {
    return scimType;
  }

  public String detail() {
    return getMessage();
  }

  /** Null unless the client should retry after this long (429, 503). */
  public Duration retryAfter() {
    return retryAfter;
  }

  public static ScimException invalidFilter(String detail) {
    return new ScimException(400, ScimType.INVALID_FILTER, detail);
  }

  public static ScimException invalidSyntax(String detail) {
    return new ScimException(400, ScimType.INVALID_SYNTAX, detail);
  }

  public static ScimException invalidValue(String detail) {
    return new ScimException(400, ScimType.INVALID_VALUE, detail);
  }

  public static ScimException invalidPath(String detail) {
    return new ScimException(400, ScimType.INVALID_PATH, detail);
  }

  public static ScimException noTarget(String detail) {
    return new ScimException(400, ScimType.NO_TARGET, detail);
  }

  public static ScimException mutability(String detail) {
    return new ScimException(400, ScimType.MUTABILITY, detail);
  }

  public static ScimException tooMany(String detail) {
    return new ScimException(400, ScimType.TOO_MANY, detail);
  }

  public static ScimException uniqueness(String detail) {
    return new ScimException(409, ScimType.UNIQUENESS, detail);
  }

  public static ScimException badRequest(String detail) {
    return new ScimException(400, null, detail);
  }

  public static ScimException unauthorized(String detail) {
    return new ScimException(401, null, detail);
  }

  public static ScimException forbidden(String detail) {
    return new ScimException(403, null, detail);
  }

  public static ScimException notFound(String detail) {
    return new ScimException(404, null, detail);
  }

  public static ScimException methodNotAllowed(String detail) {
    return new ScimException(405, null, detail);
  }

  public static ScimException preconditionFailed(String detail) {
    return new ScimException(412, null, detail);
  }

  public static ScimException payloadTooLarge(String detail) {
    return new ScimException(413, ScimType.TOO_MANY, detail);
  }

  public static ScimException unsupportedMediaType(String detail) {
    return new ScimException(415, ScimType.INVALID_SYNTAX, detail);
  }

  public static ScimException tooManyRequests(String detail, Duration retryAfter) {
    return new ScimException(429, null, detail, retryAfter);
  }

  public static ScimException unavailable(String detail, Duration retryAfter) {
    return new ScimException(503, null, detail, retryAfter);
  }

  @Override
  public String toString() {
    return "ScimException[" + status + (scimType == null ? "" : " " + scimType.keyword()) + "]";
  }
}
