package io.switchboard.scim.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;

/**
 * One PATCH operation (RFC 7644 §3.5.2). {@code value} is never Java null: an absent value is a
 * {@code MissingNode}, an explicit {@code null} a {@code NullNode}.
 *
 * <p>Usage: {@code new PatchOperation(PatchOperation.Op.REPLACE, Optional.empty(), value)}
 */
public record PatchOperation(Op op, Optional<PatchPath> path, JsonNode value) {

  /** The three operations; clients send them in any case ("Add", "REPLACE"). */
  public enum Op {
    ADD,
    REMOVE,
    REPLACE;

    public static Optional<Op> fromName(String name) {
      if (name == null) {
        return Optional.empty();
      }
      String n = name.trim().toUpperCase(Locale.ROOT);
      for (Op op : values()) {
        if (op.name().equals(n)) {
          return Optional.of(op);
        }
      }
      return Optional.empty();
    }
  }

  /** True when the operation carries a non-null value. */
  public boolean hasValue() {
    return value != null && !value.isMissingNode() && !value.isNull();
  }
}
