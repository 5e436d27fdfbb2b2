package io.switchboard.scim.filter;

import java.util.Locale;
import java.util.Optional;

/** The comparison operators of RFC 7644 §3.4.2.2 ({@code pr} is {@link Filter.Present}). */
public enum Operator {
  EQ,
  NE,
  CO,
  SW,
  EW,
  GT,
  GE,
  LT,
  LE;

  /** The lower-case keyword as written in filters. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for gt, ge, lt, le. */
  public boolean isOrdering() {
    return this == GT || this == GE || this == LT || this == LE;
  }

  /** True for co, sw, ew. */
  public boolean isSubstring() {
    return this == CO || this == SW || this == EW;
  }

  /** Operators are case-insensitive (RFC 7644 §3.4.2.2). */
  public static Optional<Operator> fromKeyword(String word) {
    for (Operator op : values()) {
      if (op.name().equalsIgnoreCase(word)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
