package io.switchboard.session;

/**
 * A check-and-set write found a different version than expected. Its message is safe to show an
 * operator: no key material, no tokens.
 */
public final class SessionConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionConflictException(String message) {
    super(message);
  }

  public SessionConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
