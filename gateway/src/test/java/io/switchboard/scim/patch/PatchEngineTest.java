package io.switchboard.scim.patch;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResourceType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PatchEngineTest {
  static final String ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
  static final String ID = "2819c223";

  static final String USER =
      """
      {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User',
                  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
       'userName':'bjensen','displayName':'Babs','active':true,'title':'Guide',
       'name':{'givenName':'Barbara','familyName':'Jensen'},
       'emails':[{'value':'b@work.org','type':'work','primary':true},
                 {'value':'b@home.org','type':'home'}],
       'phoneNumbers':[{'value':'555-1','type':'work'}],
       'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':
          {'department':'Tours','employeeNumber':'7','manager':{'value':'m-1'}}}
      """;

  static ObjectNode patch(String document, String operations, ResourceType type) {
    var ops =
        PatchRequest.parse(
                json(
                    "{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':"
                        + operations
                        + "}"),
                ServiceLimits.DEFAULT)
            .operations();
    return PatchEngine.apply(obj(document), ops, type, ID);
  }

  static ObjectNode user(String operations) {
    return patch(USER, operations, ResourceType.USER);
  }

  static JsonNode at(ObjectNode doc, String pointer) {
    return doc.at(pointer.replace("ENT", "/" + ENT));
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Every path form changes exactly what it names")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {'op':'replace','path':'title','value':'Boss'}                                   | /title                  | "Boss"
          {'op':'Replace','path':'TITLE','value':'Boss'}                                   | /title                  | "Boss"
          {'op':'add','path':'nickName','value':'B'}                                       | /nickName               | "B"
          {'op':'replace','path':'name.givenName','value':'Barb'}                          | /name/givenName         | "Barb"
          {'op':'replace','path':'name.givenName','value':'Barb'}                          | /name/familyName        | "Jensen"
          {'op':'add','path':'name','value':{'middleName':'M'}}                            | /name/givenName         | "Barbara"
          {'op':'add','path':'name','value':{'middleName':'M'}}                            | /name/middleName        | "M"
          {'op':'replace','path':'emails[type eq \\'work\\'].value','value':'n@work.org'}  | /emails/0/value         | "n@work.org"
          {'op':'replace','path':'emails[type eq \\'work\\'].value','value':'n@work.org'}  | /emails/1/value         | "b@home.org"
          {'op':'add','path':'emails[type eq \\'other\\'].value','value':'o@x.org'}        | /emails/2               | {"type":"other","value":"o@x.org"}
          {'op':'replace','path':'emails[type eq \\'home\\']','value':{'value':'h2@x','type':'home'}} | /emails/1      | {"value":"h2@x","type":"home"}
          {'op':'remove','path':'emails[type eq \\'home\\']'}                              | /emails/1               | null
          {'op':'remove','path':'emails[type eq \\'work\\'].primary'}                      | /emails/0/primary       | null
          {'op':'remove','path':'title'}                                                   | /title                  | null
          {'op':'remove','path':'name.givenName'}                                          | /name/givenName         | null
          {'op':'remove','path':'phoneNumbers'}                                            | /phoneNumbers           | null
          {'op':'add','path':'emails','value':[{'value':'x@y','type':'other'}]}            | /emails/2/value         | "x@y"
          {'op':'add','path':'emails','value':[{'value':'B@WORK.org','type':'work'}]}      | /emails/2               | null
          {'op':'replace','path':'emails','value':[{'value':'only@x'}]}                    | /emails/1               | null
          {'op':'replace','path':'emails','value':[{'value':'only@x'}]}                    | /emails/0/value         | "only@x"
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department','value':'Ops'} | ENT/department | "Ops"
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':'m-2'} | ENT/manager | {"value":"m-2"}
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':{'value':'m-3'}} | ENT/manager | {"value":"m-3"}
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':{'managerId':'m-4'}} | ENT/manager | {"value":"m-4"}
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':''} | ENT/manager | null
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':null} | ENT/manager | null
          {'op':'remove','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager'} | ENT/manager | null
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value','value':'m-5'} | ENT/manager/value | "m-5"
          {'op':'add','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User','value':{'costCenter':'c'}} | ENT/costCenter | "c"
          {'op':'add','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User','value':{'costCenter':'c'}} | ENT/department | "Tours"
          {'op':'replace','path':'urn:ietf:params:scim:schemas:core:2.0:User:title','value':'T'} | /title          | "T"
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':[{'value':'m-6','$ref':'../Users/m-6'}]} | ENT/manager | {"value":"m-6","$ref":"../Users/m-6"}
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager','value':{'value':''}} | ENT/manager | null
          {'op':'replace','value':{'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager':'m-7'}} | ENT/manager | {"value":"m-7"}
          {'op':'replace','path':'name','value':{'givenName':''}}                          | /name/givenName         | null
          {'op':'replace','path':'name','value':{'givenName':''}}                          | /name/familyName        | "Jensen"
          {'op':'replace','value':{'name':{'givenName':null,'familyName':'F'}}}            | /name                   | {"familyName":"F"}
          {'op':'replace','value':{'name.givenName':''}}                                   | /name/givenName         | null
          {'op':'replace','path':'name','value':{'givenName':'','familyName':''}}          | /name                   | null
          {'op':'remove','path':'emails','value':[{'value':'B@HOME.org'}]}                 | /emails/1               | null
          {'op':'remove','path':'emails','value':[{'value':'B@HOME.org'}]}                 | /emails/0/value         | "b@work.org"
          {'op':'replace','path':'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User','value':{'costCenter':'c'}} | ENT | {"costCenter":"c"}
          {'op':'add','path':'password','value':'pw'}                                      | /password               | null
          {'op':'remove','path':'urn:example:custom:1.0:User:badge'}                       | /title                  | "Guide"
          {'op':'add','path':'emails[type eq \\'work\\']','value':{'display':'W'}}         | /emails/0               | {"value":"b@work.org","type":"work","primary":true,"display":"W"}
          {'op':'add','path':'phoneNumbers.type','value':'mobile'}                         | /phoneNumbers/0/type    | "mobile"
          {'op':'remove','path':'emails.type'}                                             | /emails/1               | {"value":"b@home.org"}
          {'op':'add','path':'addresses[type eq \\'work\\'].locality','value':'Berlin'}    | /addresses              | [{"type":"work","locality":"Berlin"}]
          {'op':'add','path':'x509Certificates','value':[{'value':'TUlJ'}]}                | /x509Certificates/0/value | "TUlJ"
          {'op':'replace','path':'roles','value':[{'value':'Admin','primary':'True'}]}     | /roles/0/primary        | true
          {'op':'replace','path':'active','value':'False'}                                 | /active                 | false
          {'op':'replace','path':'active','value':'TRUE'}                                  | /active                 | true
          {'op':'replace','path':'title','value':null}                                     | /title                  | null
          {'op':'replace','path':'title','value':''}                                       | /title                  | null
          {'op':'replace','value':{'active':false}}                                        | /active                 | false
          {'op':'replace','value':{'name.givenName':'Dot','urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber':'99'}} | /name/givenName | "Dot"
          {'op':'replace','value':{'name.givenName':'Dot','urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber':'99'}} | ENT/employeeNumber | "99"
          {'op':'replace','value':{'name':{'familyName':'J2'}}}                            | /name/givenName         | "Barbara"
          {'op':'replace','value':{'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':{'division':'D'}}} | ENT/division | "D"
          {'op':'add','value':{'emails':[{'value':'new@x','type':'other'}]}}               | /emails/2/value         | "new@x"
          {'op':'replace','value':{'emails':[{'value':'new@x','type':'other'}]}}           | /emails/1               | null
          {'op':'replace','value':{'Title':'Cased','NICKNAME':'n'}}                        | /nickName               | "n"
          {'op':'replace','value':{'id':'2819c223','userName':'renamed'}}                  | /userName               | "renamed"
          {'op':'replace','value':{'meta':{'created':'x'},'groups':[],'unknownThing':1}}   | /title                  | "Guide"
          {'op':'replace','value':{'password':'s3cret'}}                                   | /password               | null
          {'op':'replace','path':'urn:example:custom:1.0:User:badge','value':'x'}          | /title                  | "Guide"
          """)
  void pathForms(String operation, String pointer, String expected) {
    ObjectNode out = user("[" + operation + "]");
    JsonNode actual = at(out, pointer);
    if (expected.equals("null")) {
      assertThat(actual.isMissingNode()).as(out.toString()).isTrue();
    } else {
      assertThat(actual).as(out.toString()).isEqualTo(json(expected));
    }
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Operations the RFC forbids fail with the RFC scimType")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {'op':'replace','path':'id','value':'other'}                                | mutability
          {'op':'remove','path':'id'}                                                 | mutability
          {'op':'replace','value':{'id':'other'}}                                     | mutability
          {'op':'replace','path':'meta.created','value':'2020-01-01T00:00:00Z'}       | mutability
          {'op':'add','path':'groups','value':[{'value':'g'}]}                        | mutability
          {'op':'replace','path':'emails[type eq \\'fax\\'].value','value':'x'}       | noTarget
          {'op':'replace','path':'emails[type eq \\'fax\\']','value':{'value':'x'}}   | noTarget
          {'op':'remove','path':'emails[type eq \\'fax\\']'}                          | noTarget
          {'op':'remove','path':'ims[type eq \\'aim\\']'}                             | noTarget
          {'op':'replace','path':'noSuchAttribute','value':'x'}                       | invalidPath
          {'op':'replace','path':'name.noSuchSub','value':'x'}                        | invalidPath
          {'op':'replace','path':'title[value eq \\'x\\']','value':'x'}               | invalidPath
          {'op':'replace','path':'emails[nope eq \\'x\\'].value','value':'x'}         | invalidFilter
          {'op':'replace','path':'active','value':3}                                  | invalidValue
          {'op':'replace','path':'active','value':'maybe'}                            | invalidValue
          {'op':'replace','path':'name','value':'flat'}                               | invalidValue
          {'op':'replace','path':'userName','value':''}                               | invalidValue
          {'op':'remove','path':'userName'}                                           | invalidValue
          {'op':'replace','value':{'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':'x'}} | invalidValue
          """)
  void forbidden(String operation, String scimType) {
    assertScimError(() -> user("[" + operation + "]"), 400, scimType);
  }

  @Test
  @DisplayName("A failing operation applies nothing, and the input document is never modified")
  void atomic() {
    ObjectNode before = obj(USER);
    var ops =
        PatchRequest.parse(
                json(
                    "{'schemas':['urn:ietf:params:scim:api:messages:2.0:PatchOp'],'Operations':["
                        + "{'op':'replace','path':'title','value':'Changed'},"
                        + "{'op':'replace','path':'id','value':'nope'}]}"),
                ServiceLimits.DEFAULT)
            .operations();
    assertScimError(() -> PatchEngine.apply(before, ops, ResourceType.USER, ID), 400, "mutability");
    assertThat(before).isEqualTo(obj(USER));

    ObjectNode out = PatchEngine.apply(before, ops.subList(0, 1), ResourceType.USER, ID);
    assertThat(out.get("title").asText()).isEqualTo("Changed");
    assertThat(before.get("title").asText()).isEqualTo("Guide");
  }

  @Test
  @DisplayName("Many operations apply in order")
  void inOrder() {
    ObjectNode out =
        user(
            "[{'op':'replace','path':'title','value':'A'},{'op':'replace','path':'title','value':'B'},"
                + "{'op':'remove','path':'nickName'},{'op':'add','path':'nickName','value':'N'}]");
    assertThat(out.get("title").asText()).isEqualTo("B");
    assertThat(out.get("nickName").asText()).isEqualTo("N");
  }

  @Nested
  @DisplayName("Primary values")
  class Primary {
    @Test
    @DisplayName("Adding a primary email clears primary on the others")
    void addPrimary() {
      ObjectNode out =
          user("[{'op':'add','path':'emails','value':[{'value':'n@x','primary':true}]}]");
      assertThat(out.at("/emails/0/primary").booleanValue()).isFalse();
      assertThat(out.at("/emails/2/primary").booleanValue()).isTrue();
    }

    @Test
    @DisplayName("Setting primary through a filter clears primary on the others")
    void filterPrimary() {
      ObjectNode out =
          user("[{'op':'replace','path':'emails[type eq \\'home\\'].primary','value':true}]");
      assertThat(out.at("/emails/0/primary").booleanValue()).isFalse();
      assertThat(out.at("/emails/1/primary").booleanValue()).isTrue();
    }
  }

  @Nested
  @DisplayName("Schemas follow the data")
  class Schemas {
    @Test
    @DisplayName("Removing the last enterprise attribute drops the extension and its schema")
    void dropExtension() {
      ObjectNode out = user("[{'op':'remove','path':'" + ENT + "'}]");
      assertThat(out.has(ENT)).isFalse();
      assertThat(out.get("schemas")).hasSize(1);
    }

    @Test
    @DisplayName("Adding an enterprise attribute adds the extension schema")
    void addExtension() {
      ObjectNode out =
          patch(
              "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'u'}",
              "[{'op':'add','path':'" + ENT + ":employeeNumber','value':'1'}]",
              ResourceType.USER);
      assertThat(out.get("schemas").get(1).asText()).isEqualTo(ENT);
      assertThat(out.get(ENT).get("employeeNumber").asText()).isEqualTo("1");
    }
  }

  @Nested
  @DisplayName("Groups")
  class Groups {
    static final String GROUP =
        "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],'displayName':'Old'}";

    @Test
    @DisplayName("Okta's rename with the group's own id is accepted")
    void oktaRename() {
      ObjectNode out =
          patch(
              GROUP,
              "[{'op':'replace','value':{'id':'" + ID + "','displayName':'New'}}]",
              ResourceType.GROUP);
      assertThat(out.get("displayName").asText()).isEqualTo("New");
      assertThat(out.has("id")).isFalse();
    }

    @Test
    @DisplayName("A replace of id by path with the same id is tolerated")
    void sameIdPath() {
      ObjectNode out =
          patch(GROUP, "[{'op':'replace','path':'id','value':'" + ID + "'}]", ResourceType.GROUP);
      assertThat(out.get("displayName").asText()).isEqualTo("Old");
    }

    @Test
    @DisplayName("Member operations that reach the engine leave the document alone")
    void membersIgnored() {
      ObjectNode out =
          patch(
              GROUP, "[{'op':'add','path':'members','value':[{'value':'u'}]}]", ResourceType.GROUP);
      assertThat(out.has("members")).isFalse();
    }

    @Test
    @DisplayName("Clearing displayName is invalidValue")
    void clearDisplayName() {
      assertScimError(
          () ->
              patch(
                  GROUP,
                  "[{'op':'replace','path':'displayName','value':null}]",
                  ResourceType.GROUP),
          400,
          "invalidValue");
    }
  }
}
