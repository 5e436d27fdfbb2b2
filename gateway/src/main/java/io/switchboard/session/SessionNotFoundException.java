package io.switchboard.session;

/**
 * The session store answered, and holds no session at the tenant's location. Its message is safe to
 * show an operator: no key material, no tokens.
 */
public final class SessionNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionNotFoundException(String message) {
    super(message);
  }

  public SessionNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
