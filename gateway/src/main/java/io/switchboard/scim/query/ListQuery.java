package io.switchboard.scim.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.filter.AttrPath;
import io.switchboard.scim.filter.CompiledFilter;
import io.switchboard.scim.filter.Filter;
import io.switchboard.scim.filter.FilterEvaluator;
import io.switchboard.scim.filter.ScimFilter;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.ResolvedAttribute;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaRegistry;
import io.switchboard.scim.schema.SchemaUrns;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A list request (RFC 7644 §3.4.2, §3.4.3): filter, paging, sorting and attribute selection, from
 * query parameters or a POST {@code .search} body. The filter is parsed eagerly, so a bad one is
 * 400 {@code invalidFilter} before any work. Unknown parameters ({@code aadOptscim062020}) are
 * ignored; parameter names match case-insensitively.
 *
 * <p>Paging: {@code startIndex} is 1-based (below 1 means 1); {@code count} defaults to and is
 * capped at {@code maxResults}; a negative count means 0, and count 0 asks only for {@code
 * totalResults}. Order is stable: by {@code sortBy} when given, then by {@code id}.
 *
 * <p>Usage: {@code ListQuery q = ListQuery.parse(params, limits); q.page(sorted)}
 */
public final class ListQuery {
  /** RFC 7644 §3.4.2.3. */
  public enum SortOrder {
    ASCENDING,
    DESCENDING
  }

  private final Filter filter;
  private final int startIndex;
  private final int count;
  private final String sortBy;
  private final SortOrder sortOrder;
  private final List<String> attributes;
  private final List<String> excludedAttributes;

  private ListQuery(
      Filter filter,
      int startIndex,
      int count,
      String sortBy,
      SortOrder sortOrder,
      List<String> attributes,
      List<String> excludedAttributes) {
    this.filter = filter;
    this.startIndex = startIndex;
    this.count = count;
    this.sortBy = sortBy;
    this.sortOrder = sortOrder;
    this.attributes = List.copyOf(attributes);
    this.excludedAttributes = List.copyOf(excludedAttributes);
  }

  public static ListQuery parse(Map<String, String> queryParams, ServiceLimits limits) {
    Map<String, String> p = queryParams == null ? Map.of() : queryParams;
    return build(
        param(p, "filter"),
        integer(param(p, "startIndex"), "startIndex"),
        integer(param(p, "count"), "count"),
        param(p, "sortBy"),
        param(p, "sortOrder"),
        list(param(p, "attributes")),
        list(param(p, "excludedAttributes")),
        limits);
  }

  /** RFC 7644 §3.4.3: the SearchRequest body of {@code POST /.search}. */
  public static ListQuery fromSearchRequest(JsonNode body, ServiceLimits limits) {
    if (body == null || !body.isObject()) {
      throw ScimException.invalidSyntax("The search request must be a JSON object.");
    }
    JsonNode schemas = ResolvedAttribute.field(body, "schemas");
    if (schemas != null && !schemas.isNull()) {
      boolean ok = false;
      if (schemas.isArray()) {
        for (JsonNode s : schemas) {
          ok |= s.isTextual() && s.textValue().trim().equalsIgnoreCase(SchemaUrns.SEARCH_REQUEST);
        }
      } else if (schemas.isTextual()) {
        ok = schemas.textValue().trim().equalsIgnoreCase(SchemaUrns.SEARCH_REQUEST);
      }
      if (!ok) {
        throw ScimException.invalidSyntax(
            "A search request must declare the schema " + SchemaUrns.SEARCH_REQUEST + ".");
      }
    }
    return build(
        text(body, "filter"),
        bodyInteger(body, "startIndex"),
        bodyInteger(body, "count"),
        text(body, "sortBy"),
        text(body, "sortOrder"),
        bodyList(body, "attributes"),
        bodyList(body, "excludedAttributes"),
        limits);
  }

  private static ListQuery build(
      String filterText,
      Long startIndex,
      Long count,
      String sortBy,
      String sortOrder,
      List<String> attributes,
      List<String> excludedAttributes,
      ServiceLimits limits) {
    Filter f = filterText == null || filterText.isBlank() ? null : ScimFilter.parse(filterText);
    int start =
        startIndex == null || startIndex < 1 ? 1 : (int) Math.min(startIndex, Integer.MAX_VALUE);
    int max = limits.maxResults();
    int c = count == null ? max : (int) Math.max(0, Math.min(count, max));
    SortOrder order = SortOrder.ASCENDING;
    if (sortOrder != null && !sortOrder.isBlank()) {
      String o = sortOrder.trim().toLowerCase(Locale.ROOT);
      if (o.equals("descending") || o.equals("desc")) {
        order = SortOrder.DESCENDING;
      } else if (!o.equals("ascending") && !o.equals("asc")) {
        throw ScimException.invalidValue("sortOrder must be ascending or descending.");
      }
    }
    String sb = sortBy == null || sortBy.isBlank() ? null : sortBy.trim();
    return new ListQuery(f, start, c, sb, order, attributes, excludedAttributes);
  }

  // --- accessors -------------------------------------------------------------------------------

  public Optional<Filter> filter() {
    return Optional.ofNullable(filter);
  }

  public int startIndex() {
    return startIndex;
  }

  public int count() {
    return count;
  }

  /** {@code count=0}: only {@code totalResults} is wanted (RFC 7644 §3.4.2.4). */
  public boolean countOnly() {
    return count == 0;
  }

  public Optional<String> sortBy() {
    return Optional.ofNullable(sortBy);
  }

  public SortOrder sortOrder() {
    return sortOrder;
  }

  public List<String> attributes() {
    return attributes;
  }

  public List<String> excludedAttributes() {
    return excludedAttributes;
  }

  public Optional<CompiledFilter> compileFilter(ResourceType type) {
    return filter().map(f -> FilterEvaluator.compile(f, type));
  }

  public Projection projection(ResourceType type) {
    return Projection.of(attributes, excludedAttributes, type);
  }

  /**
   * The requested page of an already sorted list: from {@code startIndex}, at most {@code count}.
   */
  public <T> List<T> page(List<T> sorted) {
    if (sorted == null || count == 0 || startIndex > sorted.size()) {
      return new ArrayList<>();
    }
    int from = startIndex - 1;
    int to = (int) Math.min((long) from + count, sorted.size());
    return new ArrayList<>(sorted.subList(from, to));
  }

  /**
   * The order of results: by {@code sortBy} (values compared by the attribute's type and caseExact;
   * a multi-valued attribute sorts by its primary value, else its first; missing values last in
   * either direction), then by {@code id} so pages never overlap. An unknown or complex {@code
   * sortBy} is 400 {@code invalidValue}.
   */
  public Comparator<ObjectNode> comparator(ResourceType type) {
    Comparator<ObjectNode> byId =
        Comparator.comparing(n -> n.path("id").asText(""), Comparator.naturalOrder());
    if (sortBy == null) {
      return byId;
    }
    AttrPath path;
    try {
      path = AttrPath.parse(sortBy);
    } catch (IllegalArgumentException e) {
      throw ScimException.invalidValue("sortBy must name an attribute.");
    }
    ResolvedAttribute r =
        SchemaRegistry.standard()
            .resolve(type, path.schemaUrn(), path.attribute(), path.subAttribute())
            .orElseThrow(
                () ->
                    ScimException.invalidValue(
                        "sortBy names no attribute of " + type.typeName() + " resources."));
    if (r.subAttribute() == null && r.attribute().isComplex()) {
      AttributeDef value =
          r.attribute()
              .subAttribute("value")
              .orElseThrow(
                  () -> ScimException.invalidValue("sortBy cannot name a complex attribute."));
      r = new ResolvedAttribute(r.schema(), r.extension(), r.attribute(), value);
    }
    ResolvedAttribute key = r;
    AttributeDef target = r.target();
    boolean descending = sortOrder == SortOrder.DESCENDING;
    return (a, b) -> {
      Comparable<Object> ka = sortKey(key, target, a);
      Comparable<Object> kb = sortKey(key, target, b);
      int c;
      if (ka == null && kb == null) {
        c = 0;
      } else if (ka == null) {
        return 1;
      } else if (kb == null) {
        return -1;
      } else {
        c = ka.compareTo(kb);
        if (descending) {
          c = -c;
        }
      }
      return c != 0 ? c : byId.compare(a, b);
    };
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> sortKey(
      ResolvedAttribute r, AttributeDef target, ObjectNode resource) {
    JsonNode v = primaryOrFirst(r, resource);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    Comparable<?> k =
        switch (target.type()) {
          case BOOLEAN -> v.isBoolean() ? v.booleanValue() : null;
          case INTEGER, DECIMAL -> v.isNumber() ? v.decimalValue() : parseDecimal(v.asText());
          case DATE_TIME -> FilterEvaluator.instantOf(v);
          default -> target.caseExact() ? v.asText() : v.asText().toLowerCase(Locale.ROOT);
        };
    return (Comparable<Object>) k;
  }

  private static JsonNode primaryOrFirst(ResolvedAttribute r, ObjectNode resource) {
    JsonNode top = r.topNode(resource);
    if (top == null || top.isNull()) {
      return null;
    }
    if (top.isArray()) {
      JsonNode chosen = null;
      for (JsonNode e : top) {
        if (chosen == null) {
          chosen = e;
        }
        if (e.isObject() && e.path("primary").asBoolean(false)) {
          chosen = e;
          break;
        }
      }
      top = chosen;
      if (top == null) {
        return null;
      }
    }
    if (r.subAttribute() == null) {
      return top;
    }
    return ResolvedAttribute.field(top, r.subAttribute().name());
  }

  private static BigDecimal parseDecimal(String s) {
    try {
      return new BigDecimal(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // --- parameter parsing -----------------------------------------------------------------------

  private static String param(Map<String, String> p, String name) {
    String v = p.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<String, String> e : p.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Long integer(String v, String name) {
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return new BigDecimal(v.trim()).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      try {
        // Larger than a long: clamp by sign.
        BigDecimal d = new BigDecimal(v.trim());
        if (d.stripTrailingZeros().scale() <= 0) {
          return d.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
      } catch (NumberFormatException e2) {
        // fall through
      }
      throw ScimException.invalidValue("'" + name + "' must be an integer.");
    }
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static String text(JsonNode body, String name) {
    JsonNode v = ResolvedAttribute.field(body, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ScimException.invalidValue("'" + name + "' must be a string.");
    }
    return v.textValue();
  }

  private static Long bodyInteger(JsonNode body, String name) {
    JsonNode v = ResolvedAttribute.field(body, name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong()
          ? v.longValue()
          : (v.bigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE);
    }
    if (v.isTextual()) {
      return integer(v.textValue(), name);
    }
    if (v.isNumber()) {
      return integer(v.decimalValue().toPlainString(), name);
    }
    throw ScimException.invalidValue("'" + name + "' must be an integer.");
  }

  private static List<String> bodyList(JsonNode body, String name) {
    JsonNode v = ResolvedAttribute.field(body, name);
    if (v == null || v.isNull()) {
      return new ArrayList<>();
    }
    if (v.isTextual()) {
      return list(v.textValue());
    }
    if (!v.isArray()) {
      throw ScimException.invalidValue("'" + name + "' must be an array of attribute names.");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) {
        throw ScimException.invalidValue("'" + name + "' must be an array of attribute names.");
      }
      out.addAll(list(e.textValue()));
    }
    return out;
  }
}
