package io.switchboard.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ServiceLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DiscoveryDocumentsTest {
  static final String BASE = "https://gw.example.com/scim/v2";
  final DiscoveryDocuments docs =
      DiscoveryDocuments.create(SchemaRegistry.standard(), ServiceLimits.DEFAULT, BASE + "/");

  @Test
  @DisplayName("ServiceProviderConfig advertises patch, bulk, filter, sort and etag per the limits")
  void serviceProviderConfig() {
    ObjectNode c = docs.serviceProviderConfig();
    assertThat(c.get("schemas").get(0).asText())
        .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
    assertThat(c.at("/patch/supported").booleanValue()).isTrue();
    assertThat(c.at("/bulk/supported").booleanValue()).isTrue();
    assertThat(c.at("/bulk/maxOperations").intValue()).isEqualTo(1000);
    assertThat(c.at("/bulk/maxPayloadSize").intValue()).isEqualTo(1048576);
    assertThat(c.at("/filter/supported").booleanValue()).isTrue();
    assertThat(c.at("/filter/maxResults").intValue()).isEqualTo(1000);
    assertThat(c.at("/changePassword/supported").booleanValue()).isFalse();
    assertThat(c.at("/sort/supported").booleanValue()).isTrue();
    assertThat(c.at("/etag/supported").booleanValue()).isTrue();
    assertThat(c.at("/authenticationSchemes/0/type").asText()).isEqualTo("oauthbearertoken");
    assertThat(c.at("/meta/location").asText()).isEqualTo(BASE + "/ServiceProviderConfig");
    assertThat(c.at("/meta/resourceType").asText()).isEqualTo("ServiceProviderConfig");
  }

  @Test
  @DisplayName("ServiceProviderConfig follows other limits and says bulk is off when it is")
  void customLimits() {
    ObjectNode c =
        DiscoveryDocuments.create(
                SchemaRegistry.standard(), new ServiceLimits(200, 50, false, 0, 0), BASE)
            .serviceProviderConfig();
    assertThat(c.at("/filter/maxResults").intValue()).isEqualTo(200);
    assertThat(c.at("/bulk/supported").booleanValue()).isFalse();
  }

  @Test
  @DisplayName("ResourceTypes lists User with the enterprise extension and Group")
  void resourceTypes() {
    ObjectNode list = docs.resourceTypes();
    assertThat(list.get("totalResults").intValue()).isEqualTo(2);
    JsonNode user = list.get("Resources").get(0);
    assertThat(user.get("id").asText()).isEqualTo("User");
    assertThat(user.get("endpoint").asText()).isEqualTo("/Users");
    assertThat(user.get("schema").asText()).isEqualTo(SchemaUrns.USER);
    assertThat(user.at("/schemaExtensions/0/schema").asText())
        .isEqualTo(SchemaUrns.ENTERPRISE_USER);
    assertThat(user.at("/schemaExtensions/0/required").booleanValue()).isFalse();
    assertThat(user.at("/meta/location").asText()).isEqualTo(BASE + "/ResourceTypes/User");

    assertThat(docs.resourceType("Group"))
        .get()
        .extracting(g -> g.get("endpoint").asText())
        .isEqualTo("/Groups");
    assertThat(docs.resourceType("group")).isPresent();
    assertThat(docs.resourceType("Device")).isEmpty();
  }

  @Test
  @DisplayName("Schemas lists the three schemas with attribute characteristics")
  void schemas() {
    ObjectNode list = docs.schemas();
    List<String> ids = new ArrayList<>();
    list.get("Resources").forEach(s -> ids.add(s.get("id").asText()));
    assertThat(ids).containsExactly(SchemaUrns.USER, SchemaUrns.ENTERPRISE_USER, SchemaUrns.GROUP);

    ObjectNode user = docs.schema(SchemaUrns.USER).orElseThrow();
    assertThat(user.at("/meta/location").asText()).isEqualTo(BASE + "/Schemas/" + SchemaUrns.USER);
    JsonNode userName = find(user, "userName");
    assertThat(userName.get("type").asText()).isEqualTo("string");
    assertThat(userName.get("required").booleanValue()).isTrue();
    assertThat(userName.get("caseExact").booleanValue()).isFalse();
    assertThat(userName.get("uniqueness").asText()).isEqualTo("server");
    JsonNode groups = find(user, "groups");
    assertThat(groups.get("mutability").asText()).isEqualTo("readOnly");
    assertThat(groups.get("multiValued").booleanValue()).isTrue();
    JsonNode password = find(user, "password");
    assertThat(password.get("returned").asText()).isEqualTo("never");
    assertThat(password.get("mutability").asText()).isEqualTo("writeOnly");
    JsonNode emails = find(user, "emails");
    assertThat(emails.get("subAttributes")).isNotEmpty();

    ObjectNode ent = docs.schema(SchemaUrns.ENTERPRISE_USER).orElseThrow();
    assertThat(find(ent, "manager").get("type").asText()).isEqualTo("complex");

    ObjectNode group = docs.schema(SchemaUrns.GROUP).orElseThrow();
    assertThat(find(group, "members").get("multiValued").booleanValue()).isTrue();
    assertThat(docs.schema("urn:nope")).isEmpty();
  }

  @Test
  @DisplayName("Callers get copies: changing one response does not change the next")
  void copies() {
    docs.serviceProviderConfig().put("patch", "broken");
    assertThat(docs.serviceProviderConfig().at("/patch/supported").booleanValue()).isTrue();
  }

  private static JsonNode find(JsonNode schema, String name) {
    for (JsonNode a : schema.get("attributes")) {
      if (a.get("name").asText().equals(name)) {
        return a;
      }
    }
    throw new AssertionError("no attribute " + name);
  }
}
