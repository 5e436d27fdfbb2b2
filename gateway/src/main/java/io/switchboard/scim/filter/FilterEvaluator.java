package io.switchboard.scim.filter;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaRegistry;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks a filter against a resource type's schema and compiles it to a predicate. Anything the
 * server cannot evaluate faithfully (unknown attribute, {@code gt} on a boolean, a malformed
 * dateTime) is 400 {@code invalidFilter} at compile time: an empty 200 would make the IdP create a
 * duplicate.
 *
 * <p>Semantics (RFC 7644 §3.4.2.2): a multi-valued attribute matches if any value matches; string
 * comparisons follow the attribute's {@code caseExact}; dateTime attributes compare as instants;
 * {@code eq null} matches an absent attribute. A complex attribute compared without a sub-attribute
 * compares its {@code value} ({@code members eq "id"}, {@code emails eq "x"}).
 *
 * <p>Usage: {@code FilterEvaluator.compile(ScimFilter.parse(text), ResourceType.USER)}
 */
public final class FilterEvaluator {
  private final ResourceType type;
  private final SchemaRegistry registry;
  private final Set<String> referenced = new LinkedHashSet<>();

  private FilterEvaluator(ResourceType type, SchemaRegistry registry) {
    this.type = type;
    this.registry = registry;
  }

  public static CompiledFilter compile(Filter filter, ResourceType type) {
    return compile(filter, type, SchemaRegistry.standard());
  }

  public static CompiledFilter compile(Filter filter, ResourceType type, SchemaRegistry registry) {
    FilterEvaluator ev = new FilterEvaluator(type, registry);
    Predicate<JsonNode> p = ev.top(filter);
    List<Equality> eqs = ev.equalities(filter);
    return new CompiledFilter(p::test, eqs, ev.referenced);
  }

  /**
   * Compiles the inner filter of a value path ({@code emails[type eq "work"]}) to a predicate over
   * one element of the attribute {@code [urn:]attribute}; used by PATCH paths.
   */
  public static Predicate<JsonNode> compileValueFilter(
      Filter inner, ResourceType type, String urn, String attribute) {
    FilterEvaluator ev = new FilterEvaluator(type, SchemaRegistry.standard());
    ResolvedAttribute parent = ev.resolveTop(new AttrPath(urn, attribute, null));
    if (!parent.attribute().isComplex()) {
      throw ScimException.invalidFilter(
          "Invalid filter: a value filter needs a complex attribute, and "
              + attribute
              + " is not one.");
    }
    return ev.element(inner, parent);
  }

  // --- top level: predicates over a resource ---------------------------------------------------

  private Predicate<JsonNode> top(Filter f) {
    if (f instanceof Filter.And and) {
      Predicate<JsonNode> l = top(and.left());
      Predicate<JsonNode> r = top(and.right());
      return n -> l.test(n) && r.test(n);
    }
    if (f instanceof Filter.Or or) {
      Predicate<JsonNode> l = top(or.left());
      Predicate<JsonNode> r = top(or.right());
      return n -> l.test(n) || r.test(n);
    }
    if (f instanceof Filter.Not not) {
      Predicate<JsonNode> inner = top(not.inner());
      return n -> !inner.test(n);
    }
    if (f instanceof Filter.Present pr) {
      ResolvedAttribute r = resolveTop(pr.path());
      return n -> present(r.values(n));
    }
    if (f instanceof Filter.Comparison c) {
      ResolvedAttribute r = comparable(resolveTop(c.path()), c.path());
      return comparison(r.target(), c.op(), c.literal(), r::values);
    }
    Filter.ValuePath vp = (Filter.ValuePath) f;
    ResolvedAttribute parent = resolveTop(vp.path());
    if (parent.subAttribute() != null || !parent.attribute().isComplex()) {
      throw ScimException.invalidFilter(
          "Invalid filter: a value filter needs a complex attribute, and "
              + vp.path()
              + " is not one.");
    }
    Predicate<JsonNode> inner = element(vp.filter(), parent);
    return n -> {
      JsonNode node = parent.topNode(n);
      if (node == null || node.isNull()) {
        return false;
      }
      if (node.isArray()) {
        for (JsonNode e : node) {
          if (e.isObject() && inner.test(e)) {
            return true;
          }
        }
        return false;
      }
      return node.isObject() && inner.test(node);
    };
  }

  // --- inside a value filter: predicates over one element of a complex attribute --------------

  private Predicate<JsonNode> element(Filter f, ResolvedAttribute parent) {
    if (f instanceof Filter.And and) {
      Predicate<JsonNode> l = element(and.left(), parent);
      Predicate<JsonNode> r = element(and.right(), parent);
      return n -> l.test(n) && r.test(n);
    }
    if (f instanceof Filter.Or or) {
      Predicate<JsonNode> l = element(or.left(), parent);
      Predicate<JsonNode> r = element(or.right(), parent);
      return n -> l.test(n) || r.test(n);
    }
    if (f instanceof Filter.Not not) {
      Predicate<JsonNode> inner = element(not.inner(), parent);
      return n -> !inner.test(n);
    }
    if (f instanceof Filter.Present pr) {
      AttributeDef sub = resolveSub(parent, pr.path());
      return n -> present(subValues(n, sub));
    }
    if (f instanceof Filter.Comparison c) {
      AttributeDef sub = resolveSub(parent, c.path());
      if (sub.isComplex()) {
        throw ScimException.invalidFilter("Invalid filter: cannot compare a complex value.");
      }
      return comparison(sub, c.op(), c.literal(), n -> subValues(n, sub));
    }
    throw ScimException.invalidFilter("Invalid filter: a value filter cannot be nested.");
  }

  private static List<JsonNode> subValues(JsonNode element, AttributeDef sub) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode v = ResolvedAttribute.field(element, sub.name());
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isArray()) {
      v.forEach(out::add);
    } else {
      out.add(v);
    }
    return out;
  }

  // --- resolution ------------------------------------------------------------------------------

  ResolvedAttribute resolveTop(AttrPath path) {
    ResolvedAttribute r =
        registry
            .resolve(type, path.schemaUrn(), path.attribute(), path.subAttribute())
            .orElseThrow(
                () ->
                    ScimException.invalidFilter(
                        "Invalid filter: "
                            + path
                            + " is not an attribute of "
                            + type.typeName()
                            + " resources."));
    note(r);
    return r;
  }

  private AttributeDef resolveSub(ResolvedAttribute parent, AttrPath path) {
    if (path.schemaUrn() != null || path.subAttribute() != null) {
      throw ScimException.invalidFilter(
          "Invalid filter: inside a value filter, name a sub-attribute only.");
    }
    AttributeDef sub =
        parent
            .attribute()
            .subAttribute(path.attribute())
            .orElseThrow(
                () ->
                    ScimException.invalidFilter(
                        "Invalid filter: "
                            + path.attribute()
                            + " is not a sub-attribute of "
                            + parent.attribute().name()
                            + "."));
    note(new ResolvedAttribute(parent.schema(), parent.extension(), parent.attribute(), sub));
    return sub;
  }

  /** A complex attribute compared as a whole compares its {@code value}. */
  private ResolvedAttribute comparable(ResolvedAttribute r, AttrPath path) {
    if (r.subAttribute() == null && r.attribute().isComplex()) {
      AttributeDef value =
          r.attribute()
              .subAttribute("value")
              .orElseThrow(
                  () ->
                      ScimException.invalidFilter(
                          "Invalid filter: "
                              + path
                              + " is complex; compare one of its sub-attributes."));
      ResolvedAttribute v = new ResolvedAttribute(r.schema(), r.extension(), r.attribute(), value);
      note(v);
      return v;
    }
    return r;
  }

  private void note(ResolvedAttribute r) {
    String top = (r.extension() ? r.schema().id() + ":" : "") + r.attribute().name();
    referenced.add(top);
    referenced.add(r.canonicalPath());
  }

  // --- comparisons -----------------------------------------------------------------------------

  private static boolean present(List<JsonNode> values) {
    for (JsonNode v : values) {
      if (v.isTextual() && v.textValue().isEmpty()) {
        continue;
      }
      if ((v.isObject() || v.isArray()) && v.isEmpty()) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static Predicate<JsonNode> comparison(
      AttributeDef attr, Operator op, JsonNode literal, Function<JsonNode, List<JsonNode>> values) {
    if (literal == null || literal.isNull()) {
      if (op == Operator.EQ) {
        return n -> !present(values.apply(n));
      }
      if (op == Operator.NE) {
        return n -> present(values.apply(n));
      }
      throw ScimException.invalidFilter("Invalid filter: null can only be compared with eq or ne.");
    }
    Predicate<JsonNode> one = valueTest(attr, op, literal);
    if (op == Operator.NE) {
      // RFC 7644 §3.4.2.2: an unassigned attribute is not equal to anything.
      return n -> {
        List<JsonNode> vs = values.apply(n);
        if (vs.isEmpty()) {
          return true;
        }
        for (JsonNode v : vs) {
          if (one.test(v)) {
            return true;
          }
        }
        return false;
      };
    }
    return n -> {
      for (JsonNode v : values.apply(n)) {
        if (one.test(v)) {
          return true;
        }
      }
      return false;
    };
  }

  private static Predicate<JsonNode> valueTest(AttributeDef attr, Operator op, JsonNode literal) {
    switch (attr.type()) {
      case BOOLEAN -> {
        if (op != Operator.EQ && op != Operator.NE) {
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is boolean; only eq, ne and pr apply.");
        }
        Boolean b = booleanOf(literal);
        if (b == null) {
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is boolean; compare it with true or false.");
        }
        boolean want = b;
        return v -> {
          Boolean got = booleanOf(v);
          return got != null && (got == want) == (op == Operator.EQ);
        };
      }
      case INTEGER, DECIMAL -> {
        if (op.isSubstring()) {
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is a number; co, sw and ew do not apply.");
        }
        BigDecimal want = decimalOf(literal);
        if (want == null) {
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is a number; compare it with a number.");
        }
        return v -> {
          BigDecimal got = decimalOf(v);
          return got != null && ordered(op, got.compareTo(want));
        };
      }
      case DATE_TIME -> {
        if (op.isSubstring()) {
          return stringTest(attr, op, literal.asText());
        }
        Instant want = instantOf(literal);
        if (want == null) {
          throw ScimException.invalidFilter(
              "Invalid filter: "
                  + attr.name()
                  + " is a dateTime; compare it with an xsd:dateTime such as"
                  + " \"2011-05-13T04:42:34Z\".");
        }
        return v -> {
          Instant got = instantOf(v);
          return got != null && ordered(op, got.compareTo(want));
        };
      }
      case COMPLEX ->
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is complex; compare a sub-attribute.");
      default -> {
        if (attr.type() == AttributeDef.Type.BINARY && op.isOrdering()) {
          throw ScimException.invalidFilter(
              "Invalid filter: " + attr.name() + " is binary; gt, ge, lt and le do not apply.");
        }
        return stringTest(attr, op, literal.asText());
      }
    }
  }

  private static Predicate<JsonNode> stringTest(AttributeDef attr, Operator op, String literal) {
    boolean exact = attr.caseExact();
    String want = exact ? literal : literal.toLowerCase(Locale.ROOT);
    return v -> {
      if (!v.isValueNode()) {
        return false;
      }
      String raw = v.asText();
      String got = exact ? raw : raw.toLowerCase(Locale.ROOT);
      return switch (op) {
        case EQ, NE -> got.equals(want) == (op == Operator.EQ);
        case CO -> got.contains(want);
        case SW -> got.startsWith(want);
        case EW -> got.endsWith(want);
        default -> ordered(op, got.compareTo(want));
      };
    };
  }

  private static boolean ordered(Operator op, int cmp) {
    return switch (op) {
      case EQ -> cmp == 0;
      case NE -> cmp != 0;
      case GT -> cmp > 0;
      case GE -> cmp >= 0;
      case LT -> cmp < 0;
      case LE -> cmp <= 0;
      default -> false;
    };
  }

  static Boolean booleanOf(JsonNode n) {
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()) {
      String t = n.textValue().trim();
      if (t.equalsIgnoreCase("true")) {
        return true;
      }
      if (t.equalsIgnoreCase("false")) {
        return false;
      }
    }
    return null;
  }

  static BigDecimal decimalOf(JsonNode n) {
    if (n.isNumber()) {
      return n.decimalValue();
    }
    if (n.isTextual()) {
      try {
        return new BigDecimal(n.textValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** xsd:dateTime as an instant; null when the value is not one. */
  public static Instant instantOf(JsonNode n) {
    if (n == null || !n.isTextual()) {
      return null;
    }
    String t = n.textValue().trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e2) {
        try {
          // xsd:dateTime allows no zone; read it as UTC rather than refuse it.
          return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          return null;
        }
      }
    }
  }

  // --- equalities ------------------------------------------------------------------------------

  private List<Equality> equalities(Filter filter) {
    List<Equality> out = new ArrayList<>();
    for (Filter f : filter.conjuncts()) {
      if (f instanceof Filter.Comparison c && c.op() == Operator.EQ && isText(c.literal())) {
        ResolvedAttribute r = comparable(resolveTop(c.path()), c.path());
        addEquality(out, r, c.literal());
      } else if (f instanceof Filter.ValuePath vp) {
        ResolvedAttribute parent = resolveTop(vp.path());
        for (Filter inner : vp.filter().conjuncts()) {
          if (inner instanceof Filter.Comparison c
              && c.op() == Operator.EQ
              && isText(c.literal())
              && c.path().schemaUrn() == null
              && c.path().subAttribute() == null) {
            parent
                .attribute()
                .subAttribute(c.path().attribute())
                .ifPresent(
                    sub ->
                        addEquality(
                            out,
                            new ResolvedAttribute(
                                parent.schema(), parent.extension(), parent.attribute(), sub),
                            c.literal()));
          }
        }
      }
    }
    return out;
  }

  private static boolean isText(JsonNode literal) {
    return literal != null && !literal.isNull() && !literal.isContainerNode();
  }

  private static void addEquality(List<Equality> out, ResolvedAttribute r, JsonNode literal) {
    AttributeDef t = r.target();
    if (t.type() == AttributeDef.Type.STRING
        || t.type() == AttributeDef.Type.REFERENCE
        || t.type() == AttributeDef.Type.BINARY) {
      out.add(new Equality(r.canonicalPath(), literal.asText(), t.caseExact()));
    }
  }
}
