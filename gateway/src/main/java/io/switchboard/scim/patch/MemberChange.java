package io.switchboard.scim.patch;

import io.switchboard.scim.resource.MemberRef;
import java.util.List;

/**
 * A change to a group's membership taken out of a PATCH, to be applied set-wise to the membership
 * table rather than to the group document.
 *
 * <p>Usage: {@code switch (change) { case MemberChange.Add a -> store.add(a.members()); ... }}
 */
public sealed interface MemberChange
    permits MemberChange.Add, MemberChange.Remove, MemberChange.RemoveAll, MemberChange.ReplaceAll {

  /** Add these members (already present ones stay as they are). */
  record Add(List<MemberRef> members) implements MemberChange {
    public Add {
      members = List.copyOf(members);
    }
  }

  /** Remove the members with these ids (absent ones are ignored). */
  record Remove(List<String> ids) implements MemberChange {
    public Remove {
      ids = List.copyOf(ids);
    }
  }

  /** Remove every member. */
  record RemoveAll() implements MemberChange {}

  /** Make the membership exactly this list (possibly empty). */
  record ReplaceAll(List<MemberRef> members) implements MemberChange {
    public ReplaceAll {
      members = List.copyOf(members);
    }
  }
}
