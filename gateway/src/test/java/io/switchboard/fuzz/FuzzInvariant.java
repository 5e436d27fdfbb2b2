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
    // Details are shown to clients; a bounded length keeps huge inputs from being echoed back.
    assertThat(e.detail().length()).as("detail length").isLessThan(2_000);
  }
}
