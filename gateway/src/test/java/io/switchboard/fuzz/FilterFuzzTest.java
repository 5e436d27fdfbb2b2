package io.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.filter.CompiledFilter;
import io.switchboard.scim.filter.FilterEvaluator;
import io.switchboard.scim.filter.ScimFilter;
import io.switchboard.scim.schema.ResourceType;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the filter parser and evaluator (RFC 7644 §3.4.2.2). In the normal build this replays the
 * committed corpus under {@code FilterFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class FilterFuzzTest {
  static final ObjectNode USER =
      (ObjectNode)
          ScimJson.parse(
              ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],"
                      + "\"id\":\"2819c223-7f76-453a-919d-413861904646\",\"userName\":\"bjensen\","
                      + "\"externalId\":\"ext-1\",\"active\":true,\"displayName\":\"Babs\","
                      + "\"name\":{\"givenName\":\"Barbara\",\"familyName\":\"Jensen\"},"
                      + "\"emails\":[{\"value\":\"b@work.org\",\"type\":\"work\",\"primary\":true}],"
                      + "\"meta\":{\"resourceType\":\"User\",\"created\":\"2024-01-01T00:00:00Z\","
                      + "\"lastModified\":\"2024-01-02T00:00:00Z\",\"version\":\"W/\\\"1\\\"\"},"
                      + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
                      + "{\"department\":\"Tours\",\"employeeNumber\":\"7\"}}")
                  .getBytes(StandardCharsets.UTF_8));

  static final ObjectNode GROUP =
      (ObjectNode)
          ScimJson.parse(
              ("{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                      + "\"id\":\"e9e30dba-f08f-4109-8486-d5c6a331660a\",\"displayName\":\"Tour\","
                      + "\"members\":[{\"value\":\"2819c223-7f76-453a-919d-413861904646\","
                      + "\"type\":\"User\"}],\"meta\":{\"resourceType\":\"Group\","
                      + "\"created\":\"2024-01-01T00:00:00Z\"}}")
                  .getBytes(StandardCharsets.UTF_8));

  @FuzzTest(maxDuration = "5m")
  void parseAndEvaluate(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    Boolean user = evaluate(text, ResourceType.USER, USER);
    evaluate(text, ResourceType.GROUP, GROUP);
    if (user != null) {
      // Negation is exact for a filter that compiled (RFC 7644 §3.4.2.2 "not").
      Boolean negated = evaluate("not (" + text + ")", ResourceType.USER, USER);
      if (negated != null) {
        assertThat(negated).as("not(%s)", text).isEqualTo(!user);
      }
    }
  }

  /** The match result, or null when the filter was rejected with a 4xx. */
  private static Boolean evaluate(String text, ResourceType type, ObjectNode resource) {
    try {
      CompiledFilter f = FilterEvaluator.compile(ScimFilter.parse(text), type);
      boolean first = f.matches(resource);
      assertThat(f.matches(resource)).as("deterministic").isEqualTo(first);
      return first;
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
      return null;
    }
  }
}
