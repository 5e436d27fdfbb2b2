package io.switchboard.store;

import java.util.List;
import java.util.UUID;

/**
 * One set operation on a group's members, run in SQL without loading the group. A PATCH becomes a
 * sequence of these, applied in order in the same transaction as the rest of the change.
 */
public sealed interface MemberOp {
  /** Adds members (users or groups of the tenant); existing members stay. */
  record Add(List<UUID> ids) implements MemberOp {}

  /** Removes the listed members; ids that are not members are ignored. */
  record Remove(List<UUID> ids) implements MemberOp {}

  /** Removes every member. */
  record RemoveAll() implements MemberOp {}

  /** Makes the members exactly {@code ids}. */
  record Replace(List<UUID> ids) implements MemberOp {}

  /**
   * A {@code replace members} applied as an add (the tenant's {@code membersReplace: additive}
   * setting): nobody is removed, but a replace that would have removed most of the group is still
   * flagged in the audit log.
   */
  record AdditiveReplace(List<UUID> ids) implements MemberOp {}
}
