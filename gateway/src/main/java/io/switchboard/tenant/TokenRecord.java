package io.switchboard.tenant;

import java.time.Instant;
import java.util.UUID;

/** The database half of a bearer token: which tenant, the secret's hash, and its validity. */
public record TokenRecord(UUID tenantId, byte[] secretHash, Instant expiresAt, Instant revokedAt) {
  public boolean usableAt(Instant now) {
    return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
  }
}
