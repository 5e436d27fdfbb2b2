package io.switchboard.scim.filter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A filter checked against a resource type's schema, ready to evaluate against rendered resources
 * (with {@code id}, {@code meta} and, for groups, {@code members}).
 *
 * <p>Usage: {@code if (compiled.matches(resource)) page.add(resource);}
 */
public final class CompiledFilter {
  private final Predicate<ObjectNode> predicate;
  private final List<Equality> equalities;
  private final Set<String> referencedAttributes;

  CompiledFilter(
      Predicate<ObjectNode> predicate,
      List<Equality> equalities,
      Set<String> referencedAttributes) {
    this.predicate = predicate;
    this.equalities = List.copyOf(equalities);
    this.referencedAttributes = Set.copyOf(referencedAttributes);
  }

  public boolean matches(ObjectNode resource) {
    return predicate.test(resource);
  }

  /**
   * Necessary conditions: every resource that matches satisfies each of these equalities. A store
   * may narrow candidates with them, then must still call {@link #matches}.
   */
  public List<Equality> equalities() {
    return equalities;
  }

  /**
   * Canonical paths the filter reads: the top-level attribute ("members", "emails", "meta",
   * extension attributes as "urn:...:User:manager") and, where a sub-attribute is read, the dotted
   * path too ("emails.value", "members.value").
   */
  public Set<String> referencedAttributes() {
    return referencedAttributes;
  }
}
