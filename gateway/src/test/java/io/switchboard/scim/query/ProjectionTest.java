package io.switchboard.scim.query;

import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.schema.ResourceType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProjectionTest {
  static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final ObjectNode USER =
      obj(
          """
          {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'id':'u1','externalId':'e1',
           'userName':'bjensen','displayName':'Babs','password':'leaked?',
           'name':{'givenName':'B','familyName':'J'},
           'emails':[{'value':'a@x','type':'work'},{'value':'b@x','type':'home'}],
           'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':{'department':'D','employeeNumber':'7'},
           'groups':[{'value':'g1'}],
           'meta':{'resourceType':'User','version':'W/\\'1\\''}}
          """);
  static final ObjectNode GROUP =
      obj(
          "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],'id':'g1','displayName':'G',"
              + "'members':[{'value':'u1'}],'meta':{'resourceType':'Group'}}");

  static List<String> keys(ObjectNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  @DisplayName("By default everything but the password is returned")
  void defaults() {
    ObjectNode out = Projection.defaults(ResourceType.USER).apply(USER);
    assertThat(out.has("password")).isFalse();
    assertThat(keys(out)).contains("id", "userName", "name", "emails", "groups", "meta", ENT);
    assertThat(USER.has("password")).as("input untouched").isTrue();
  }

  @Test
  @DisplayName("attributes=id keeps only id, schemas and the always-returned userName")
  void attributesId() {
    ObjectNode out = Projection.of(List.of("id"), List.of(), ResourceType.USER).apply(USER);
    assertThat(keys(out)).containsExactlyInAnyOrder("schemas", "id", "userName");
    ObjectNode g = Projection.of(List.of("id"), List.of(), ResourceType.GROUP).apply(GROUP);
    assertThat(keys(g)).containsExactlyInAnyOrder("schemas", "id");
  }

  @Test
  @DisplayName("attributes selects sub-attributes, extension attributes and whole extensions")
  void attributesSelect() {
    ObjectNode out =
        Projection.of(
                List.of("name.givenName", "EMAILS.value", ENT + ":department"),
                List.of(),
                ResourceType.USER)
            .apply(USER);
    assertThat(out.get("name").has("familyName")).isFalse();
    assertThat(out.at("/name/givenName").asText()).isEqualTo("B");
    assertThat(out.at("/emails/0").has("type")).isFalse();
    assertThat(out.at("/emails/1/value").asText()).isEqualTo("b@x");
    assertThat(out.get(ENT).has("employeeNumber")).isFalse();
    assertThat(out.get(ENT).get("department").asText()).isEqualTo("D");
    assertThat(out.has("displayName")).isFalse();

    ObjectNode whole = Projection.of(List.of(ENT), List.of(), ResourceType.USER).apply(USER);
    assertThat(whole.get(ENT).size()).isEqualTo(2);
  }

  @Test
  @DisplayName("excludedAttributes=members drops members and says so through includes()")
  void excludeMembers() {
    Projection p = Projection.of(List.of(), List.of("members"), ResourceType.GROUP);
    ObjectNode out = p.apply(GROUP);
    assertThat(out.has("members")).isFalse();
    assertThat(out.get("displayName").asText()).isEqualTo("G");
    assertThat(p.includes("members")).isFalse();
    assertThat(p.includes("displayName")).isTrue();
    assertThat(Projection.defaults(ResourceType.GROUP).includes("members")).isTrue();
    assertThat(Projection.of(List.of("id"), List.of(), ResourceType.GROUP).includes("members"))
        .isFalse();
    assertThat(
            Projection.of(List.of("members.value"), List.of(), ResourceType.GROUP)
                .includes("members"))
        .isTrue();
  }

  @Test
  @DisplayName("Always-returned attributes cannot be excluded and the password is never included")
  void alwaysAndNever() {
    Projection p =
        Projection.of(List.of(), List.of("id", "userName", "emails.type"), ResourceType.USER);
    ObjectNode out = p.apply(USER);
    assertThat(out.has("id")).isTrue();
    assertThat(out.has("userName")).isTrue();
    assertThat(out.at("/emails/0").has("type")).isFalse();
    assertThat(out.at("/emails/0/value").asText()).isEqualTo("a@x");
    assertThat(
            Projection.of(List.of("password"), List.of(), ResourceType.USER)
                .apply(USER)
                .has("password"))
        .isFalse();
    assertThat(p.includes("password")).isFalse();
    assertThat(p.includes("userName")).isTrue();
  }

  @Test
  @DisplayName("Unknown attribute names are ignored")
  void unknownIgnored() {
    ObjectNode out =
        Projection.of(List.of(), List.of("nope", "1bad"), ResourceType.USER).apply(USER);
    assertThat(out.has("displayName")).isTrue();
    ObjectNode only = Projection.of(List.of("nope"), List.of(), ResourceType.USER).apply(USER);
    assertThat(keys(only)).containsExactlyInAnyOrder("schemas", "id", "userName");
  }
}
