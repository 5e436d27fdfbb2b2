package io.switchboard.scim.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A request body made safe to store: the normalised {@code document} (no {@code id}, {@code meta},
 * {@code members}, {@code groups} or {@code password}) and, for groups, the members the body named.
 * {@code members} is empty when the body had no {@code members} key (leave membership alone) and
 * present, possibly with an empty list, when it had one.
 */
public record ValidatedResource(ObjectNode document, Optional<List<MemberRef>> members) {
  public ValidatedResource {
    members = members.map(List::copyOf);
  }
}
