package io.switchboard.scim;

import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ListResponseTest {

  @Test
  @DisplayName("A ListResponse carries the schema, integer counts and the resources in order")
  void listResponseShape() {
    ObjectNode out = ListResponse.of(List.of(obj("{'id':'a'}"), obj("{'id':'b'}")), 7, 3);

    assertThat(out.get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:ListResponse");
    assertThat(out.get("totalResults").isIntegralNumber()).isTrue();
    assertThat(out.get("totalResults").asLong()).isEqualTo(7);
    assertThat(out.get("itemsPerPage").isInt()).isTrue();
    assertThat(out.get("itemsPerPage").asInt()).isEqualTo(2);
    assertThat(out.get("startIndex").asInt()).isEqualTo(3);
    assertThat(out.get("Resources").get(1).get("id").asText()).isEqualTo("b");
  }

  @Test
  @DisplayName("An empty result is still a ListResponse with an empty Resources array")
  void emptyList() {
    ObjectNode out = ListResponse.of(List.of(), 0, 1);

    assertThat(out.get("totalResults").asInt()).isZero();
    assertThat(out.get("itemsPerPage").asInt()).isZero();
    assertThat(out.get("Resources").isArray()).isTrue();
    assertThat(out.get("Resources")).isEmpty();
  }

  @Test
  @DisplayName(
      "The default service limits advertise 1000 results, 1000 PATCH operations and 1 MiB bulk")
  void defaults() {
    assertThat(ServiceLimits.DEFAULT).isEqualTo(new ServiceLimits(1000, 1000, true, 1000, 1048576));
  }
}
