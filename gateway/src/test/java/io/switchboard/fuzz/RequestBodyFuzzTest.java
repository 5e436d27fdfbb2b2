package io.switchboard.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.query.ListQuery;
import io.switchboard.scim.resource.ResourceValidator;
import io.switchboard.scim.resource.ValidatedResource;
import io.switchboard.scim.schema.ResourceType;

/**
 * Fuzzes request decoding: the strict bounded JSON reader, then the resource validator for users
 * and groups and the SearchRequest reader (RFC 7644 §3.4.3).
 */
class RequestBodyFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void decodeAndValidate(byte[] data) {
    ObjectNode body;
    try {
      body = ScimJson.parseObject(data);
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
      return;
    }
    for (ResourceType type : new ResourceType[] {ResourceType.USER, ResourceType.GROUP}) {
      try {
        ValidatedResource valid = ResourceValidator.forCreate(body, type);
        // What the validator keeps is itself valid and survives a write/read round trip.
        ObjectNode again = (ObjectNode) ScimJson.parse(ScimJson.write(valid.document()));
        assertThat(ResourceValidator.forCreate(again, type).document()).isEqualTo(valid.document());
      } catch (ScimException e) {
        FuzzInvariant.rejectedCleanly(e);
      }
    }
    try {
      ListQuery q = ListQuery.fromSearchRequest(body, ServiceLimits.DEFAULT);
      assertThat(q.count()).isBetween(0, ServiceLimits.DEFAULT.maxResults());
      assertThat(q.startIndex()).isPositive();
    } catch (ScimException e) {
      FuzzInvariant.rejectedCleanly(e);
    }
  }
}
