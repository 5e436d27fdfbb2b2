package io.switchboard.store;

import java.util.UUID;

/**
 * One edge of group membership as rendered: a member of a group ({@code type} User or Group), or a
 * group of a user. {@code display} is decrypted from the current row, so it follows renames.
 */
public record MemberRef(UUID id, String type, String display) {}
