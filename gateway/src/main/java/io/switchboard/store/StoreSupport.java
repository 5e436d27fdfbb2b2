package io.switchboard.store;

import io.switchboard.scim.ScimException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Small conversions shared by the stores. */
final class StoreSupport {
  private StoreSupport() {}

  /** Millisecond precision, so what a write returns equals what a later read returns. */
  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  static OffsetDateTime odt(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  /** The unique constraint a write violated, if that is what failed. */
  static Optional<String> uniqueViolation(Throwable error) {
    if (error instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return Optional.ofNullable(pg.getConstraint()).or(() -> Optional.of(""));
    }
    return Optional.empty();
  }

  /** 412 when the client's If-Match names another version (RFC 7644 §3.14). */
  static void checkIfMatch(Long expected, long actual) {
    if (expected != null && expected != actual) {
      throw ScimException.preconditionFailed(
          "The resource has changed: its version is W/\"" + actual + "\".");
    }
  }
}
