package io.switchboard.session;

/**
 * The session store could not be reached, or refused us in a way that may pass. Its message is safe
 * to show an operator: no key material, no tokens.
 */
public final class SessionUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SessionUnavailableException(String message) {
    super(message);
  }

  public SessionUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
