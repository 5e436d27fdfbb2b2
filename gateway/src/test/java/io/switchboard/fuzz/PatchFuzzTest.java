package io.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.patch.PatchEngine;
import io.switchboard.scim.patch.PatchOperation;
import io.switchboard.scim.patch.PatchPath;
import io.switchboard.scim.patch.PatchPlan;
import io.switchboard.scim.patch.PatchRequest;
import io.switchboard.scim.resource.ResourceValidator;
import io.switchboard.scim.schema.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes PATCH (RFC 7644 §3.5.2): the path grammar alone, and a whole body through {@link
 * PatchRequest#parse}, {@link PatchPlan#split} and {@link PatchEngine#apply} on a sample user and
 * group, the way the directory runs it.
 */
class PatchFuzzTest {
  static final ObjectNode USER =
      doc(
          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\","
              + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"],"
              + "\"userName\":\"bjensen\",\"displayName\":\"Babs\",\"active\":true,"
              + "\"name\":{\"givenName\":\"Barbara\",\"familyName\":\"Jensen\"},"
              + "\"emails\":[{\"value\":\"b@work.org\",\"type\":\"work\",\"primary\":true},"
              + "{\"value\":\"b@home.org\",\"type\":\"home\"}],"
              + "\"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\":"
              + "{\"department\":\"Tours\",\"manager\":{\"value\":\"m-1\"}}}");

  static final ObjectNode GROUP =
      doc(
          "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],\"displayName\":\"Tour\"}");

  static final String ID = "2819c223-7f76-453a-919d-413861904646";

  @FuzzTest(maxDuration = "5m")
  void path(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      PatchPath parsed = PatchPath.parse(text);
      assertThat(parsed).isNotNull();
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
    }
  }

  @FuzzTest(maxDuration = "5m")
  void request(byte[] data) {
    List<PatchOperation> ops;
    try {
      JsonNode body = ScimJson.parse(data);
      ops = PatchRequest.parse(body, ServiceLimits.DEFAULT).operations();
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
      return;
    }
    applyTo(ops, ResourceType.USER, USER);
    applyTo(ops, ResourceType.GROUP, GROUP);
  }

  private static void applyTo(List<PatchOperation> ops, ResourceType type, ObjectNode document) {
    ObjectNode before = document.deepCopy();
    try {
      PatchPlan plan = PatchPlan.split(ops, type);
      ObjectNode after = PatchEngine.apply(document, plan.documentOperations(), type, ID);
      assertThat(document).as("input document untouched").isEqualTo(before);
      // A patched document is still a resource the validator accepts as a replacement.
      ResourceValidator.forReplace(after, document, type);
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
    }
  }

  private static ObjectNode doc(String json) {
    return (ObjectNode) ScimJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }
}
