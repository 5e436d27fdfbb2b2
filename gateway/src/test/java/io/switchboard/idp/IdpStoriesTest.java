package io.switchboard.idp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays each identity provider's recorded provisioning story (test resources {@code
 * idp/<idp>/story.json}) over real HTTP against a fresh tenant, asserting every response and the
 * final directory state. A story is a list of steps:
 *
 * <pre>
 * {"name": "...", "method": "PATCH", "path": "/Users/${alice}", "body": {...} | "raw": "...",
 *  "contentType": "application/json", "repeat": 250,
 *  "expect": {"status": 200, "equals": {"/pointer": value}, "absent": ["/pointer"],
 *             "size": {"/pointer": 2}, "contains": {"/members": ["${bob}"]}},
 *  "capture": {"alice": "/id"}}
 * {"name": "...", "pages": "/Users", "count": 100, "expectTotal": 250}
 * </pre>
 *
 * {@code ${name}} is replaced by a captured value, {@code ${i}} by the repeat index and {@code
 * ${guid}} by a fresh random UUID.
 */
@DisplayName("Recorded IdP provisioning stories replay cleanly over HTTP")
class IdpStoriesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");
  private static final List<String> STORIES =
      List.of(
          "entra-default",
          "entra-aadoptscim062020",
          "okta",
          "onelogin",
          "jumpcloud",
          "rippling",
          "google-workspace");

  @TestFactory
  Stream<DynamicTest> stories() {
    return STORIES.stream().map(name -> DynamicTest.dynamicTest(name, () -> replay(name)));
  }

  private static void replay(String name) throws IOException {
    JsonNode story;
    try (InputStream in =
        IdpStoriesTest.class.getResourceAsStream("/idp/" + name + "/story.json")) {
      assertThat(in).as("story file for %s", name).isNotNull();
      story = JSON.readTree(in);
    }
    TestGateway gateway = TestGateway.shared();
    ScimClient scim = gateway.newTenant().scim();
    if (story.has("userAgent")) {
      scim = scim.withHeader("User-Agent", story.get("userAgent").asText());
    }
    String query = story.path("query").asText("");
    Map<String, String> vars = new HashMap<>();
    int stepNo = 0;
    for (JsonNode step : story.get("steps")) {
      stepNo++;
      String label = name + " step " + stepNo + " (" + step.path("name").asText() + ")";
      if (step.has("pages")) {
        pages(scim, step, query, label);
        continue;
      }
      int repeat = step.path("repeat").asInt(1);
      for (int i = 0; i < repeat; i++) {
        vars.put("i", Integer.toString(i));
        vars.put("guid", UUID.randomUUID().toString());
        run(scim, step, query, vars, label + (repeat > 1 ? " #" + i : ""));
      }
    }
  }

  private static void run(
      ScimClient scim, JsonNode step, String query, Map<String, String> vars, String label)
      throws IOException {
    String method = step.get("method").asText();
    String path = withQuery(substitute(step.get("path").asText(), vars), query);
    String body = null;
    if (step.has("body")) {
      body = substitute(JSON.writeValueAsString(step.get("body")), vars);
    } else if (step.has("raw")) {
      body = substitute(step.get("raw").asText(), vars);
    }
    String contentType =
        step.has("contentType")
            ? step.get("contentType").asText()
            : body == null ? null : "application/scim+json";
    Response r = scim.send(method, encodePath(path), body, contentType);
    for (int retry = 0; r.status() == 429 && retry < 10; retry++) {
      // what real IdPs do under the tenant's rate limit: wait as told, then send it again
      assertThat(r.header("Retry-After")).as(label + " 429 carries Retry-After").isNotNull();
      sleepSeconds(Integer.parseInt(r.header("Retry-After")));
      r = scim.send(method, encodePath(path), body, contentType);
    }
    JsonNode expect = step.path("expect");
    assertThat(r.status()).as(label + ": " + r).isEqualTo(expect.path("status").asInt(200));
    if (r.body() != null && !r.body().isMissingNode()) {
      assertThat(r.header("Content-Type")).as(label).startsWith("application/scim+json");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("equals").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode wanted = JSON.readTree(substitute(JSON.writeValueAsString(e.getValue()), vars));
      assertThat(r.body().at(e.getKey())).as(label + " " + e.getKey() + ": " + r).isEqualTo(wanted);
    }
    for (JsonNode absent : expect.path("absent")) {
      assertThat(r.body().at(absent.asText()).isMissingNode())
          .as(label + " " + absent.asText() + " absent: " + r)
          .isTrue();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("size").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode node = r.body().at(e.getKey());
      int size = node.isMissingNode() ? 0 : node.size();
      assertThat(size)
          .as(label + " size of " + e.getKey() + ": " + r)
          .isEqualTo(e.getValue().asInt());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.path("contains").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Set<String> values = new HashSet<>();
      for (JsonNode item : r.body().at(e.getKey())) {
        values.add(item.path("value").asText());
      }
      List<String> wanted = new ArrayList<>();
      for (JsonNode w : e.getValue()) {
        wanted.add(substitute(w.asText(), vars));
      }
      assertThat(values)
          .as(label + " values of " + e.getKey() + ": " + r)
          .containsExactlyInAnyOrderElementsOf(wanted);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = step.path("capture").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode value = r.body().at(e.getValue().asText());
      assertThat(value.isMissingNode()).as(label + " capture " + e.getKey() + ": " + r).isFalse();
      vars.put(e.getKey(), value.asText());
    }
  }

  /** Reads a collection page by page; every resource exactly once, in a stable order. */
  private static void pages(ScimClient scim, JsonNode step, String query, String label) {
    String path = step.get("pages").asText();
    int count = step.get("count").asInt();
    int expectTotal = step.get("expectTotal").asInt();
    List<String> first = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      List<String> ids = new ArrayList<>();
      for (int start = 1; start <= expectTotal; start += count) {
        String page = withQuery(path + "?startIndex=" + start + "&count=" + count, query);
        Response r = scim.get(page);
        for (int retry = 0; r.status() == 429 && retry < 10; retry++) {
          // an import under the tenant's rate limit waits as told, as the IdP does
          sleepSeconds(Integer.parseInt(r.header("Retry-After")));
          r = scim.get(page);
        }
        assertThat(r.status()).as(label + ": " + r).isEqualTo(200);
        assertThat(r.body().get("totalResults").isInt()).as(label).isTrue();
        assertThat(r.body().get("totalResults").asInt()).as(label).isEqualTo(expectTotal);
        assertThat(r.body().get("startIndex").asInt()).as(label).isEqualTo(start);
        for (JsonNode res : r.body().path("Resources")) {
          ids.add(res.get("id").asText());
        }
      }
      assertThat(ids).as(label + " distinct").doesNotHaveDuplicates().hasSize(expectTotal);
      if (pass == 0) {
        first.addAll(ids);
      } else {
        assertThat(ids).as(label + " stable order").containsExactlyElementsOf(first);
      }
    }
  }

  private static void sleepSeconds(int seconds) {
    try {
      Thread.sleep(seconds * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String substitute(String text, Map<String, String> vars) {
    Matcher m = VAR.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = vars.get(m.group(1));
      assertThat(value).as("variable ${%s} is captured before use", m.group(1)).isNotNull();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String withQuery(String path, String query) {
    if (query.isEmpty()) {
      return path;
    }
    return path + (path.contains("?") ? "&" : "?") + query;
  }

  /** Stories write filters readably; encode what a real client would percent-encode. */
  private static String encodePath(String path) {
    return path.replace(" ", "%20").replace("\"", "%22").replace("[", "%5B").replace("]", "%5D");
  }
}
