package io.switchboard.scim.resource;

import java.util.Objects;

/**
 * A member as a client names it in a request: the member's id ({@code value}) and type. Not to be
 * confused with {@code io.switchboard.store.MemberRef}, a membership edge as rendered.
 *
 * <p>Usage: {@code new MemberRef("2819c223-7f76-453a-919d-413861904646", MemberType.USER)}
 */
public record MemberRef(String value, MemberType type) {
  public MemberRef {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
  }

  public static MemberRef user(String value) {
    return new MemberRef(value, MemberType.USER);
  }
}
