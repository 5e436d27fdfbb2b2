package io.switchboard.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A parsed SCIM filter (RFC 7644 §3.4.2.2). Literals are JSON nodes: text, boolean, number or null;
 * dateTime literals are text and compared as instants against dateTime attributes.
 *
 * <p>Usage: {@code ScimFilter.parse("userName eq \"bjensen\"").conjuncts()}
 */
public sealed interface Filter
    permits Filter.And, Filter.Or, Filter.Not, Filter.Comparison, Filter.Present, Filter.ValuePath {

  /** {@code left and right}. */
  record And(Filter left, Filter right) implements Filter {}

  /** {@code left or right}. */
  record Or(Filter left, Filter right) implements Filter {}

  /** {@code not (inner)}. */
  record Not(Filter inner) implements Filter {}

  /** {@code path op literal}. */
  record Comparison(AttrPath path, Operator op, JsonNode literal) implements Filter {}

  /** {@code path pr}. */
  record Present(AttrPath path) implements Filter {}

  /**
   * {@code path[filter]}; the inner filter's paths are relative to {@code path}. Entra's {@code
   * emails[type eq "work"].value eq "x"} parses as {@code emails[type eq "work" and value eq "x"]}.
   */
  record ValuePath(AttrPath path, Filter filter) implements Filter {}

  /** The operands of the top-level chain of {@code and}s, left to right; just this otherwise. */
  default List<Filter> conjuncts() {
    List<Filter> out = new ArrayList<>();
    Deque<Filter> stack = new ArrayDeque<>();
    stack.push(this);
    while (!stack.isEmpty()) {
      Filter f = stack.pop();
      if (f instanceof And and) {
        stack.push(and.right());
        stack.push(and.left());
      } else {
        out.add(f);
      }
    }
    return out;
  }
}
