package io.switchboard.admin;

/**
 * An admin API error with a stable machine code ({@code validation_failed}, {@code not_found},
 * {@code unauthorized}, {@code forbidden}, {@code conflict}, {@code unavailable}) and a message for
 * humans. Rendered as {@code {"error": {"code": ..., "message": ...}}}.
 */
public final class AdminError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  public AdminError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public static AdminError validation(String message) {
    return new AdminError(400, "validation_failed", message);
  }

  public static AdminError notFound(String message) {
    return new AdminError(404, "not_found", message);
  }

  public static AdminError unauthorized() {
    return new AdminError(401, "unauthorized", "A valid operator key is required.");
  }

  public static AdminError forbidden(String message) {
    return new AdminError(403, "forbidden", message);
  }

  public static AdminError conflict(String message) {
    return new AdminError(409, "conflict", message);
  }
}
