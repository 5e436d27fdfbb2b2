package io.switchboard.connector;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a tenant's directory comes from: an IdP that pushes SCIM to us (the default), or a pull
 * connector that reads the IdP's own API on a schedule.
 */
public enum SourceKind {
  SCIM_PUSH("scim-push"),
  GOOGLE_WORKSPACE("google-workspace");

  private final String wireName;

  SourceKind(String wireName) {
    this.wireName = wireName;
  }

  /** The name in the API, the CLI and the {@code connectors.source_kind} column. */
  public String wireName() {
    return wireName;
  }

  public boolean pulls() {
    return this != SCIM_PUSH;
  }

  public static Optional<SourceKind> parse(String value) {
    return Arrays.stream(values()).filter(k -> k.wireName.equals(value)).findFirst();
  }
}
