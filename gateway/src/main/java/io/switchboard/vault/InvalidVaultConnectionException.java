package io.switchboard.vault;

/**
 * A Vault connection from an operator's request is unusable. {@link #field()} names the JSON field
 * at fault (such as {@code address} or {@code auth.roleId}); the message is safe to show the
 * operator and never repeats a secret.
 */
public final class InvalidVaultConnectionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public InvalidVaultConnectionException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
