package io.switchboard.vault;

/** A Vault call failed at a known step; the message is safe to show an operator. */
final class VaultCallException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final VaultDiagnostics.Step step;

  VaultCallException(VaultDiagnostics.Step step, String message, Throwable cause) {
    super(message, cause);
    this.step = step;
  }

  VaultDiagnostics.Step step() {
    return step;
  }
}
