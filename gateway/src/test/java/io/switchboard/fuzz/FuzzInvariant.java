package io.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.ScimException;

/**
 * The one invariant every fuzz target checks: hostile input ends in a SCIM 4xx or a result; any
 * other exception (a would-be 500) escapes to Jazzer as a finding.
 */
final class FuzzInvariant {
  private FuzzInvariant() {}

  static void rejectedCleanly(ScimException e) {
    assertThat(e.status()).as("status for %s", e.detail()).isBetween(400, 499);
    assertThat(e.detail()).as("detail").isNotBlank();
    // Details are shown to clients and may quote the client's own attribute name, which a filter's
    // 4,096-character limit bounds (fuzzing found a 2,300-character echo); never the whole input.
    assertThat(e.detail().length()).as("detail length").isLessThan(8_192);
  }
}
