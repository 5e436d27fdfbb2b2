package io.switchboard.scim.patch;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.filter.Filter;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatchRequestTest {
  static final String SCHEMA = "'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp']";

  static List<PatchOperation> ops(String operations) {
    return PatchRequest.parse(
            json("{" + SCHEMA + ",'Operations':" + operations + "}"), ServiceLimits.DEFAULT)
        .operations();
  }

  @ParameterizedTest(name = "op {0}")
  @DisplayName("Operation names are accepted in any case")
  @ValueSource(strings = {"add", "Add", "ADD", "replace", "Replace", "remove", "Remove", "REMOVE"})
  void opNamesAnyCase(String op) {
    PatchOperation o = ops("[{'op':'" + op + "','path':'title','value':'x'}]").get(0);
    assertThat(o.op().name()).isEqualToIgnoringCase(op);
  }

  @Test
  @DisplayName("Paths parse into attribute, filter and sub-attribute")
  void paths() {
    List<PatchOperation> o =
        ops(
            """
            [{'op':'replace','path':'emails[type eq \\'work\\'].value','value':'a@x'},
             {'op':'remove','path':'members[value eq \\'u1\\']'},
             {'op':'replace','path':'name.givenName','value':'G'},
             {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':'m'},
             {'op':'add','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User','value':{'department':'d'}},
             {'op':'replace','value':{'active':false}}]
            """);
    PatchPath p0 = o.get(0).path().orElseThrow();
    assertThat(p0.attribute()).isEqualTo("emails");
    assertThat(p0.valueFilter()).isInstanceOf(Filter.Comparison.class);
    assertThat(p0.subAttribute()).isEqualTo("value");
    assertThat(o.get(1).path().orElseThrow().valueFilter()).isNotNull();
    assertThat(o.get(1).hasValue()).isFalse();
    assertThat(o.get(2).path().orElseThrow().subAttribute()).isEqualTo("givenName");
    PatchPath p3 = o.get(3).path().orElseThrow();
    assertThat(p3.schemaUrn())
        .isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    assertThat(p3.attribute()).isEqualTo("manager");
    PatchPath p4 = o.get(4).path().orElseThrow();
    assertThat(p4.attribute()).isNull();
    assertThat(p4.schemaUrn())
        .isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    assertThat(o.get(5).path()).isEmpty();
    assertThat(o.get(5).op()).isEqualTo(PatchOperation.Op.REPLACE);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Malformed PATCH bodies are rejected with the RFC scimType")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          [1]                                                                       | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:ListResponse'],'Operations':[{'op':'add','path':'title','value':'x'}]} | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp']}               | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':{}} | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[]} | invalidValue
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'move','path':'title'}]} | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'path':'title','value':'x'}]} | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':['add']} | invalidSyntax
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'add','path':'title'}]} | invalidValue
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'replace','value':'x'}]} | invalidValue
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove'}]} | noTarget
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove','path':'emails[type eq'}]} | invalidPath
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove','path':'emails[type zz \\'x\\']'}]} | invalidFilter
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove','path':'a.b.c'}]} | invalidPath
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove','path':'emails[type eq \\'x\\']junk'}]} | invalidPath
          {'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':[{'op':'remove','path':7}]} | invalidPath
          """)
  void malformed(String body, String scimType) {
    assertScimError(() -> PatchRequest.parse(json(body), ServiceLimits.DEFAULT), 400, scimType);
  }

  @Test
  @DisplayName("A body without schemas (some IdP templates omit it) is read by its Operations")
  void missingSchemas() {
    assertThat(
            PatchRequest.parse(
                    json("{'Operations':[{'op':'add','path':'title','value':'x'}]}"),
                    ServiceLimits.DEFAULT)
                .operations())
        .hasSize(1);
  }

  @Test
  @DisplayName("More operations than maxPatchOperations is 400 tooMany")
  void tooMany() {
    String op = "{'op':'add','path':'title','value':'x'}";
    String three = "[" + op + "," + op + "," + op + "]";
    ServiceLimits limits = new ServiceLimits(100, 2, true, 10, 1000);
    assertScimError(
        () -> PatchRequest.parse(json("{" + SCHEMA + ",'Operations':" + three + "}"), limits),
        400,
        "tooMany");
    assertThat(
            PatchRequest.parse(
                    json("{" + SCHEMA + ",'Operations':[" + op + "," + op + "]}"), limits)
                .operations())
        .hasSize(2);
  }
}
