package io.switchboard.scim.query;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListQueryTest {
  static final ServiceLimits LIMITS = ServiceLimits.DEFAULT;

  static ListQuery q(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return ListQuery.parse(m, LIMITS);
  }

  @ParameterizedTest(name = "startIndex={0} count={1} -> {2},{3}")
  @DisplayName("startIndex and count are clamped to what the RFC and the limits allow")
  @CsvSource(
      nullValues = "none",
      textBlock =
          """
          none, none, 1, 1000
          1,    100,  1, 100
          0,    10,   1, 10
          -5,   10,   1, 10
          3,    -1,   3, 0
          1,    0,    1, 0
          1,    5000, 1, 1000
          ' 7 ', ' 2 ', 7, 2
          99999999999, 99999999999, 2147483647, 1000
          """)
  void paging(String startIndex, String count, int expectedStart, int expectedCount) {
    Map<String, String> m = new HashMap<>();
    if (startIndex != null) {
      m.put("startIndex", startIndex);
    }
    if (count != null) {
      m.put("count", count);
    }
    ListQuery query = ListQuery.parse(m, LIMITS);
    assertThat(query.startIndex()).isEqualTo(expectedStart);
    assertThat(query.count()).isEqualTo(expectedCount);
    assertThat(query.countOnly()).isEqualTo(expectedCount == 0);
  }

  @ParameterizedTest(name = "{0}={1}")
  @DisplayName("Non-integer paging parameters are 400 invalidValue")
  @CsvSource({"startIndex,abc", "count,1.5", "count,ten", "startIndex,1e"})
  void nonInteger(String name, String value) {
    assertScimError(() -> q(name, value), 400, "invalidValue");
  }

  @Test
  @DisplayName("A bad filter is 400 invalidFilter at parse time")
  void badFilter() {
    assertScimError(() -> q("filter", "userName eq"), 400, "invalidFilter");
  }

  @Test
  @DisplayName("Okta's lookup and Entra's flag parameter parse; unknown parameters are ignored")
  void idpParameters() {
    ListQuery okta = q("filter", "userName eq \"x\"", "startIndex", "1", "count", "100");
    assertThat(okta.filter()).isPresent();
    assertThat(okta.count()).isEqualTo(100);
    ListQuery entra =
        q(
            "aadOptscim062020",
            "",
            "excludedAttributes",
            "members",
            "filter",
            "displayName eq \"G\"");
    assertThat(entra.excludedAttributes()).containsExactly("members");
    assertThat(entra.projection(ResourceType.GROUP).includes("members")).isFalse();
    assertThat(entra.compileFilter(ResourceType.GROUP).orElseThrow().equalities()).hasSize(1);
  }

  @Test
  @DisplayName("Parameter names match case-insensitively")
  void caseInsensitiveNames() {
    ListQuery query = q("Filter", "active eq true", "STARTINDEX", "4", "Count", "2");
    assertThat(query.filter()).isPresent();
    assertThat(query.startIndex()).isEqualTo(4);
    assertThat(query.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("No filter means no compiled filter")
  void noFilter() {
    assertThat(q().compileFilter(ResourceType.USER)).isEmpty();
    assertThat(q("filter", " ").compileFilter(ResourceType.USER)).isEmpty();
  }

  @Test
  @DisplayName("page() cuts the requested window out of a sorted list")
  void page() {
    List<Integer> all = IntStream.rangeClosed(1, 10).boxed().toList();
    assertThat(q("startIndex", "1", "count", "3").page(all)).containsExactly(1, 2, 3);
    assertThat(q("startIndex", "9", "count", "5").page(all)).containsExactly(9, 10);
    assertThat(q("startIndex", "11", "count", "5").page(all)).isEmpty();
    assertThat(q("count", "0").page(all)).isEmpty();
    assertThat(q().page(all)).hasSize(10);
  }

  static List<ObjectNode> users() {
    List<ObjectNode> out = new ArrayList<>();
    out.add(obj("{'id':'c','userName':'bravo','meta':{'created':'2020-01-03T00:00:00Z'}}"));
    out.add(
        obj(
            "{'id':'a','userName':'Charlie','title':'T','meta':{'created':'2020-01-01T00:00:00+05:00'}}"));
    out.add(obj("{'id':'b','userName':'alpha','meta':{'created':'2020-01-02T00:00:00Z'}}"));
    out.add(
        obj(
            "{'id':'d','userName':'ALPHA','emails':[{'value':'z@x'},{'value':'a@x','primary':true}]}"));
    return out;
  }

  static List<String> ids(List<ObjectNode> nodes) {
    return nodes.stream().map(n -> n.get("id").asText()).toList();
  }

  @Test
  @DisplayName("Without sortBy the order is by id, so pages are stable")
  void defaultOrder() {
    List<ObjectNode> list = users();
    list.sort(q().comparator(ResourceType.USER));
    assertThat(ids(list)).containsExactly("a", "b", "c", "d");
  }

  @Test
  @DisplayName("sortBy userName is case-insensitive with ties broken by id")
  void sortByUserName() {
    List<ObjectNode> list = users();
    list.sort(q("sortBy", "userName").comparator(ResourceType.USER));
    assertThat(ids(list)).containsExactly("b", "d", "c", "a");
    list.sort(q("sortBy", "username", "sortOrder", "descending").comparator(ResourceType.USER));
    assertThat(ids(list)).containsExactly("a", "c", "b", "d");
  }

  @Test
  @DisplayName("Missing values sort last, dateTimes sort as instants, multi-valued by primary")
  void sortKinds() {
    List<ObjectNode> list = users();
    list.sort(q("sortBy", "title").comparator(ResourceType.USER));
    assertThat(ids(list).get(0)).isEqualTo("a");
    list.sort(q("sortBy", "title", "sortOrder", "descending").comparator(ResourceType.USER));
    assertThat(ids(list).get(0)).isEqualTo("a");

    list.sort(q("sortBy", "meta.created").comparator(ResourceType.USER));
    assertThat(ids(list)).containsExactly("a", "b", "c", "d");

    list.sort(q("sortBy", "emails").comparator(ResourceType.USER));
    assertThat(ids(list).get(0)).isEqualTo("d");
  }

  @Test
  @DisplayName("sortBy an unknown attribute or a bad sortOrder is 400 invalidValue")
  void badSort() {
    assertScimError(() -> q("sortBy", "nope").comparator(ResourceType.USER), 400, "invalidValue");
    assertScimError(() -> q("sortBy", "name").comparator(ResourceType.USER), 400, "invalidValue");
    assertScimError(() -> q("sortOrder", "sideways"), 400, "invalidValue");
  }

  @Test
  @DisplayName("A SearchRequest body gives the same query as parameters")
  void searchRequest() {
    ListQuery query =
        ListQuery.fromSearchRequest(
            json(
                """
                {'schemas':['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
                 'attributes':['displayName','userName'],'excludedAttributes':['emails'],
                 'filter':'displayName sw \\'smith\\'','startIndex':2,'count':10,
                 'sortBy':'userName','sortOrder':'descending'}
                """),
            LIMITS);
    assertThat(query.attributes()).containsExactly("displayName", "userName");
    assertThat(query.filter()).isPresent();
    assertThat(query.startIndex()).isEqualTo(2);
    assertThat(query.count()).isEqualTo(10);
    assertThat(query.sortBy()).contains("userName");
    assertThat(query.sortOrder()).isEqualTo(ListQuery.SortOrder.DESCENDING);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Malformed SearchRequest bodies are rejected")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          [1]                                                                         | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp']}              | invalidSyntax
          {'count':'x'}                                                               | invalidValue
          {'attributes':7}                                                            | invalidValue
          {'filter':7}                                                                | invalidValue
          {'filter':'userName eq'}                                                    | invalidFilter
          """)
  void badSearchRequest(String body, String scimType) {
    assertScimError(() -> ListQuery.fromSearchRequest(json(body), LIMITS), 400, scimType);
  }
}
