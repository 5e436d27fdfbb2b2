package io.switchboard.scim.bulk;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResourceType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BulkRequestTest {
  static final String HEAD = "'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest']";

  static BulkRequest bulk(String operations) {
    return BulkRequest.parse(
        json("{" + HEAD + ",'Operations':" + operations + "}"), ServiceLimits.DEFAULT);
  }

  @Test
  @DisplayName("The RFC example bulk request parses into typed operations")
  void rfcExample() {
    BulkRequest b =
        BulkRequest.parse(
            json(
                """
                {'schemas':['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],'failOnErrors':1,
                 'Operations':[
                  {'method':'POST','path':'/Users','bulkId':'qwerty',
                   'data':{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'Alice'}},
                  {'method':'PUT','path':'/Users/b7c14771','version':'W/\\'3694e05e9dff591\\'',
                   'data':{'userName':'Bob'}},
                  {'method':'patch','path':'/Groups/e9e30dba',
                   'data':{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
                           'Operations':[{'op':'add','path':'members','value':[{'value':'bulkId:qwerty'}]}]}},
                  {'method':'DELETE','path':'/Users/5d8d29d3'}]}
                """),
            ServiceLimits.DEFAULT);
    assertThat(b.failOnErrors()).isEqualTo(1);
    List<BulkOperation> ops = b.operations();
    assertThat(ops).hasSize(4);
    assertThat(ops.get(0).method()).isEqualTo(BulkOperation.Method.POST);
    assertThat(ops.get(0).resourceType()).isEqualTo(ResourceType.USER);
    assertThat(ops.get(0).bulkId()).contains("qwerty");
    assertThat(ops.get(0).resourceId()).isEmpty();
    assertThat(ops.get(1).resourceId()).contains("b7c14771");
    assertThat(ops.get(1).version()).contains("W/\"3694e05e9dff591\"");
    assertThat(ops.get(2).method()).isEqualTo(BulkOperation.Method.PATCH);
    assertThat(ops.get(2).resourceType()).isEqualTo(ResourceType.GROUP);
    assertThat(BulkRequest.referencedBulkIds(ops.get(2).data())).containsExactly("qwerty");
    assertThat(ops.get(3).data().isMissingNode()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Malformed operations are rejected with the RFC scimType")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          []                                                                   | invalidValue
          [{'method':'GET','path':'/Users/1'}]                                 | invalidValue
          [{'path':'/Users','bulkId':'a','data':{}}]                           | invalidSyntax
          [{'method':'POST','path':'/Users','data':{}}]                        | invalidValue
          [{'method':'POST','path':'/Users/1','bulkId':'a','data':{}}]         | invalidPath
          [{'method':'PUT','path':'/Users','data':{}}]                         | invalidPath
          [{'method':'DELETE','path':'/Devices/1'}]                            | invalidPath
          [{'method':'DELETE','path':'/Users/1/x'}]                            | invalidPath
          [{'method':'PATCH','path':'/Users/1'}]                               | invalidSyntax
          [{'method':'POST','path':'/Users','bulkId':'a','data':{}},{'method':'POST','path':'/Groups','bulkId':'a','data':{}}] | invalidValue
          """)
  void malformed(String operations, String scimType) {
    assertScimError(() -> bulk(operations), 400, scimType);
  }

  @Test
  @DisplayName("A body without the BulkRequest schema is invalidSyntax")
  void wrongSchema() {
    assertScimError(
        () -> BulkRequest.parse(json("{'Operations':[]}"), ServiceLimits.DEFAULT),
        400,
        "invalidSyntax");
  }

  @Test
  @DisplayName("More operations than bulkMaxOperations is 413 tooMany; bulk switched off is 501")
  void limits() {
    String op = "{'method':'DELETE','path':'/Users/1'}";
    ServiceLimits two = new ServiceLimits(100, 100, true, 2, 1000);
    assertScimError(
        () ->
            BulkRequest.parse(
                json("{" + HEAD + ",'Operations':[" + op + "," + op + "," + op + "]}"), two),
        413,
        "tooMany");
    ServiceLimits off = new ServiceLimits(100, 100, false, 0, 0);
    assertScimError(
        () -> BulkRequest.parse(json("{" + HEAD + ",'Operations':[" + op + "]}"), off), 501, null);
  }

  @Test
  @DisplayName("bulkId references resolve to created ids, and unknown ones are invalidValue")
  void resolve() {
    JsonNode data = json("{'members':[{'value':'bulkId:qwerty'},{'value':'fixed'}]}");
    JsonNode resolved = BulkRequest.resolveBulkIds(data, Map.of("qwerty", "92b725cd"));
    assertThat(resolved.at("/members/0/value").asText()).isEqualTo("92b725cd");
    assertThat(resolved.at("/members/1/value").asText()).isEqualTo("fixed");
    assertThat(data.at("/members/0/value").asText())
        .as("input untouched")
        .isEqualTo("bulkId:qwerty");
    assertScimError(() -> BulkRequest.resolveBulkIds(data, Map.of()), 400, "invalidValue");
  }

  @Test
  @DisplayName("Bulk responses carry method, bulkId, location and a string status")
  void response() {
    BulkOperation op =
        bulk("[{'method':'POST','path':'/Users','bulkId':'q','data':{}}]").operations().get(0);
    ObjectNode out =
        BulkResponse.of(List.of(BulkResponse.entry(op, "https://x/Users/1", 201, null)));
    assertThat(out.at("/schemas/0").asText())
        .isEqualTo("urn:ietf:params:scim:api:messages:2.0:BulkResponse");
    assertThat(out.at("/Operations/0/status").asText()).isEqualTo("201");
    assertThat(out.at("/Operations/0/status").isTextual()).isTrue();
    assertThat(out.at("/Operations/0/bulkId").asText()).isEqualTo("q");
    assertThat(out.at("/Operations/0/location").asText()).isEqualTo("https://x/Users/1");
    assertThat(out.at("/Operations/0/method").asText()).isEqualTo("POST");
  }
}
