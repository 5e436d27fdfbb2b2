package io.switchboard.scim.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.schema.AttributeDef.Mutability;
import io.switchboard.scim.schema.AttributeDef.Returned;
import io.switchboard.scim.schema.AttributeDef.Type;
import io.switchboard.scim.schema.AttributeDef.Uniqueness;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaRegistryTest {
  final SchemaRegistry registry = SchemaRegistry.standard();

  @Test
  @DisplayName("Resource types know their SCIM name, endpoint and core schema")
  void resourceTypes() {
    assertThat(ResourceType.USER.typeName()).isEqualTo("User");
    assertThat(ResourceType.USER.toString()).isEqualTo("User");
    assertThat(ResourceType.USER.endpoint()).isEqualTo("/Users");
    assertThat(ResourceType.USER.schemaUrn())
        .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:User");
    assertThat(ResourceType.GROUP.typeName()).isEqualTo("Group");
    assertThat(ResourceType.GROUP.endpoint()).isEqualTo("/Groups");
    assertThat(ResourceType.GROUP.schemaUrn())
        .isEqualTo("urn:ietf:params:scim:schemas:core:2.0:Group");
    assertThat(ResourceType.fromName("users")).contains(ResourceType.USER);
    assertThat(ResourceType.fromName("/Groups")).contains(ResourceType.GROUP);
    assertThat(ResourceType.fromName("Things")).isEmpty();
  }

  @ParameterizedTest(name = "{0}.{1}")
  @DisplayName("Attributes carry the RFC 7643 characteristics")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          USER  | userName        |      | STRING    | false | true  | false | READ_WRITE | ALWAYS  | SERVER
          USER  | id              |      | STRING    | false | false | true  | READ_ONLY  | ALWAYS  | SERVER
          USER  | externalId      |      | STRING    | false | false | true  | READ_WRITE | DEFAULT | NONE
          USER  | password        |      | STRING    | false | false | false | WRITE_ONLY | NEVER   | NONE
          USER  | active          |      | BOOLEAN   | false | false | false | READ_WRITE | DEFAULT | NONE
          USER  | emails          |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          USER  | emails          | value| STRING    | false | false | false | READ_WRITE | DEFAULT | NONE
          USER  | phoneNumbers    |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          USER  | addresses       | postalCode | STRING | false | false | false | READ_WRITE | DEFAULT | NONE
          USER  | ims             |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          USER  | photos          | value| REFERENCE | false | false | true  | READ_WRITE | DEFAULT | NONE
          USER  | entitlements    |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          USER  | roles           |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          USER  | x509Certificates| value| BINARY    | false | false | true  | READ_WRITE | DEFAULT | NONE
          USER  | groups          |      | COMPLEX   | true  | false | false | READ_ONLY  | DEFAULT | NONE
          USER  | name            | givenName | STRING | false | false | false | READ_WRITE | DEFAULT | NONE
          USER  | meta            | created | DATE_TIME | false | false | false | READ_ONLY | DEFAULT | NONE
          USER  | manager         | value| STRING    | false | false | false | READ_WRITE | DEFAULT | NONE
          USER  | employeeNumber  |      | STRING    | false | false | false | READ_WRITE | DEFAULT | NONE
          GROUP | displayName     |      | STRING    | false | true  | false | READ_WRITE | DEFAULT | SERVER
          GROUP | members         |      | COMPLEX   | true  | false | false | READ_WRITE | DEFAULT | NONE
          GROUP | members         | value| STRING    | false | false | true  | IMMUTABLE  | DEFAULT | NONE
          GROUP | members         | type | STRING    | false | false | false | IMMUTABLE  | DEFAULT | NONE
          """)
  void characteristics(
      ResourceType type,
      String attribute,
      String sub,
      Type dataType,
      boolean multiValued,
      boolean required,
      boolean caseExact,
      Mutability mutability,
      Returned returned,
      Uniqueness uniqueness) {
    AttributeDef a = registry.resolve(type, null, attribute, sub).orElseThrow().target();
    assertThat(a.type()).isEqualTo(dataType);
    assertThat(a.multiValued()).isEqualTo(multiValued);
    assertThat(a.required()).isEqualTo(required);
    assertThat(a.caseExact()).isEqualTo(caseExact);
    assertThat(a.mutability()).isEqualTo(mutability);
    assertThat(a.returned()).isEqualTo(returned);
    assertThat(a.uniqueness()).isEqualTo(uniqueness);
  }

  @Test
  @DisplayName("Resolution is case-insensitive and understands schema URNs")
  void resolution() {
    var r = registry.resolve(ResourceType.USER, null, "EMAILS", "VALUE").orElseThrow();
    assertThat(r.canonicalPath()).isEqualTo("emails.value");

    var m =
        registry
            .resolve(ResourceType.USER, SchemaUrns.ENTERPRISE_USER.toLowerCase(), "MANAGER", null)
            .orElseThrow();
    assertThat(m.extension()).isTrue();
    assertThat(m.canonicalPath()).isEqualTo(SchemaUrns.ENTERPRISE_USER + ":manager");

    assertThat(registry.resolve(ResourceType.USER, SchemaUrns.USER, "userName", null)).isPresent();
    assertThat(registry.resolve(ResourceType.GROUP, null, "userName", null)).isEmpty();
    assertThat(registry.resolve(ResourceType.USER, "urn:unknown", "userName", null)).isEmpty();
    assertThat(registry.resolve(ResourceType.USER, null, "active", "x")).isEmpty();
  }

  @Test
  @DisplayName("Users have the enterprise extension and groups have none")
  void extensions() {
    assertThat(registry.extensions(ResourceType.USER))
        .extracting(SchemaDef::id)
        .containsExactly(SchemaUrns.ENTERPRISE_USER);
    assertThat(registry.extensions(ResourceType.GROUP)).isEmpty();
  }
}
