package io.switchboard.scim.resource;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.schema.ResourceType;
import io.switchboard.scim.schema.SchemaUrns;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceValidatorTest {
  static final String ENT = SchemaUrns.ENTERPRISE_USER;

  static ObjectNode user(String body) {
    return ResourceValidator.forCreate(json(body), ResourceType.USER).document();
  }

  @Nested
  @DisplayName("Users")
  class Users {
    @Test
    @DisplayName("A plain RFC user keeps its attributes and gets normalised schemas")
    void plainUser() {
      ObjectNode doc =
          user(
              """
              {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'bjensen',
               'name':{'givenName':'Barbara','familyName':'Jensen'},
               'emails':[{'value':'b@x.org','type':'work','primary':true}],'active':true}
              """);
      assertThat(doc.get("schemas")).containsExactly(json("'" + SchemaUrns.USER + "'"));
      assertThat(doc.get("userName").asText()).isEqualTo("bjensen");
      assertThat(doc.at("/name/givenName").asText()).isEqualTo("Barbara");
      assertThat(doc.at("/emails/0/value").asText()).isEqualTo("b@x.org");
      assertThat(doc.get("active").booleanValue()).isTrue();
    }

    @Test
    @DisplayName("Server-owned id, meta and groups and the password never reach the document")
    void serverOwned() {
      ObjectNode doc =
          user(
              """
              {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'id':'client-chosen',
               'userName':'u','password':'hunter2','groups':[],
               'meta':{'resourceType':'User','created':'2020-01-01T00:00:00Z'}}
              """);
      assertThat(doc.has("id")).isFalse();
      assertThat(doc.has("meta")).isFalse();
      assertThat(doc.has("groups")).isFalse();
      assertThat(doc.has("password")).isFalse();
      assertThat(doc.toString()).doesNotContain("hunter2");
    }

    @Test
    @DisplayName(
        "OneLogin: string booleans, id null, meta and the SCIM 1.0 schema URI are tolerated")
    void oneLoginTemplate() {
      ObjectNode doc =
          user(
              """
              {'schemas':['urn:scim:schemas:core:1.0'],'id':null,'meta':{'x':1},
               'userName':'ol','active':'true',
               'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':
                 {'manager':{'managerId':'m-7'}}}
              """);
      assertThat(doc.get("active").isBoolean()).isTrue();
      assertThat(doc.get("active").booleanValue()).isTrue();
      assertThat(doc.get("schemas")).hasSize(2);
      assertThat(doc.at("/" + ENT.replace("/", "~1") + "/manager"))
          .isEqualTo(json("{'value':'m-7'}"));
    }

    @ParameterizedTest(name = "active: {0}")
    @DisplayName("Strings True/False in any case become booleans")
    @CsvSource({"'\"True\"',true", "'\"FALSE\"',false", "'\"false\"',false", "'\" true \"',true"})
    void stringBooleans(String raw, boolean expected) {
      ObjectNode doc =
          ResourceValidator.forCreate(
                  obj("{\"userName\":\"u\",\"active\":" + raw + "}"), ResourceType.USER)
              .document();
      assertThat(doc.get("active").isBoolean()).isTrue();
      assertThat(doc.get("active").booleanValue()).isEqualTo(expected);
    }

    @Test
    @DisplayName("Entra's create: meta.resourceType, roles: [] and both schemas")
    void entraCreate() {
      ObjectNode doc =
          user(
              """
              {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User',
                          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
               'externalId':'0a21f0f2','userName':'Test_User@contoso.com','active':true,
               'displayName':'Test User','roles':[],'meta':{'resourceType':'User'},
               'name':{'formatted':'Test User','familyName':'User','givenName':'Test'},
               'emails':[{'primary':true,'type':'work','value':'Test_User@contoso.com'}],
               'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':
                 {'department':'Dept','employeeNumber':'1234','manager':{'value':'m1'}}}
              """);
      assertThat(doc.has("roles")).isFalse();
      assertThat(doc.get("externalId").asText()).isEqualTo("0a21f0f2");
      assertThat(doc.get(ENT).get("department").asText()).isEqualTo("Dept");
      assertThat(doc.get("schemas")).hasSize(2);
      assertThat(doc.get("schemas").get(1).asText()).isEqualTo(ENT);
    }

    @Test
    @DisplayName("Okta's create carries a password and groups: []; both are dropped")
    void oktaCreate() {
      ObjectNode doc =
          user(
              """
              {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User'],'userName':'o@x.com',
               'name':{'givenName':'O','familyName':'K'},'emails':[{'primary':true,
               'value':'o@x.com','type':'work'}],'displayName':'O K','locale':'en-US',
               'externalId':'00u','groups':[],'password':'1mz050nq','active':true}
              """);
      assertThat(doc.has("password")).isFalse();
      assertThat(doc.has("groups")).isFalse();
      assertThat(doc.get("locale").asText()).isEqualTo("en-US");
    }

    @Test
    @DisplayName("Attribute names are matched case-insensitively and written in schema case")
    void caseInsensitiveNames() {
      ObjectNode doc =
          user(
              "{'USERNAME':'u','Name':{'GIVENNAME':'g'},'Emails':[{'VALUE':'e@x','Type':'work'}],"
                  + "'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user':"
                  + "{'EmployeeNumber':'9'}}");
      assertThat(doc.get("userName").asText()).isEqualTo("u");
      assertThat(doc.at("/name/givenName").asText()).isEqualTo("g");
      assertThat(doc.at("/emails/0/type").asText()).isEqualTo("work");
      assertThat(doc.get(ENT).get("employeeNumber").asText()).isEqualTo("9");
    }

    @Test
    @DisplayName("Unknown attributes and unknown schema objects are ignored")
    void unknownIgnored() {
      ObjectNode doc =
          user(
              "{'userName':'u','favouriteColour':'teal','name':{'nick':'x','givenName':'g'},"
                  + "'urn:example:custom:1.0:User':{'badge':'7'}}");
      assertThat(doc.has("favouriteColour")).isFalse();
      assertThat(doc.get("name").has("nick")).isFalse();
      assertThat(doc.has("urn:example:custom:1.0:User")).isFalse();
      assertThat(doc.get("schemas")).hasSize(1);
    }

    @Test
    @DisplayName("null and empty string clear an attribute, empty arrays and objects vanish")
    void nullAndEmpty() {
      ObjectNode doc =
          user(
              "{'userName':'u','displayName':null,'title':'','emails':[],'name':{},"
                  + "'nickName':'n','phoneNumbers':[null]}");
      assertThat(doc.has("displayName")).isFalse();
      assertThat(doc.has("title")).isFalse();
      assertThat(doc.has("emails")).isFalse();
      assertThat(doc.has("name")).isFalse();
      assertThat(doc.has("phoneNumbers")).isFalse();
      assertThat(doc.get("nickName").asText()).isEqualTo("n");
    }

    @ParameterizedTest(name = "manager as {0}")
    @DisplayName("Enterprise manager in every shape becomes {value: id}")
    @CsvSource(
        delimiter = '|',
        quoteCharacter = '`',
        textBlock =
            """
            'm1'
            {'value':'m1'}
            {'managerId':'m1'}
            [{'value':'m1','$ref':'../Users/m1'}]
            {'value':'m1','displayName':'Boss'}
            """)
    void managerShapes(String manager) {
      ObjectNode doc = user("{'userName':'u','" + ENT + "':{'manager':" + manager + "}}");
      assertThat(doc.get(ENT).get("manager").get("value").asText()).isEqualTo("m1");
      assertThat(doc.get(ENT).get("manager").has("displayName")).isFalse();
    }

    @Test
    @DisplayName("An empty manager clears it, and an emptied extension leaves the schemas")
    void emptyManager() {
      ObjectNode doc = user("{'userName':'u','" + ENT + "':{'manager':''}}");
      assertThat(doc.has(ENT)).isFalse();
      assertThat(doc.get("schemas")).hasSize(1);
    }

    @Test
    @DisplayName("URN-prefixed and dotted attribute keys are understood")
    void urnAndDottedKeys() {
      ObjectNode doc =
          user(
              "{'userName':'u','"
                  + ENT
                  + ":employeeNumber':'42','name.givenName':'G',"
                  + "'urn:ietf:params:scim:schemas:core:2.0:User:title':'T'}");
      assertThat(doc.get(ENT).get("employeeNumber").asText()).isEqualTo("42");
      assertThat(doc.at("/name/givenName").asText()).isEqualTo("G");
      assertThat(doc.get("title").asText()).isEqualTo("T");
    }

    @Test
    @DisplayName("Only the first primary value stays primary")
    void onePrimary() {
      ObjectNode doc =
          user(
              "{'userName':'u','emails':[{'value':'a','primary':true},{'value':'b','primary':'True'}]}");
      assertThat(doc.at("/emails/0/primary").booleanValue()).isTrue();
      assertThat(doc.at("/emails/1/primary").booleanValue()).isFalse();
    }

    @Test
    @DisplayName("A single object where an array belongs is taken as a one-element array")
    void singleForMulti() {
      ObjectNode doc = user("{'userName':'u','emails':{'value':'a@x'}}");
      assertThat(doc.get("emails").isArray()).isTrue();
      assertThat(doc.at("/emails/0/value").asText()).isEqualTo("a@x");
    }

    @Test
    @DisplayName("A number where a string belongs keeps its text")
    void numberAsString() {
      ObjectNode doc = user("{'userName':'u','" + ENT + "':{'employeeNumber':1234}}");
      assertThat(doc.get(ENT).get("employeeNumber").isTextual()).isTrue();
      assertThat(doc.get(ENT).get("employeeNumber").asText()).isEqualTo("1234");
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("Wrong types are 400 invalidValue")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            {'userName':'u','active':3}
            {'userName':'u','active':'yes'}
            {'userName':'u','active':{'x':true}}
            {'userName':{'first':'u'}}
            {'userName':'u','name':'Barbara'}
            {'userName':'u','emails':[['a']]}
            {'userName':'u','displayName':['a','b']}
            {'userName':'u','urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':'x'}
            {'userName':'u','name':{'givenName':{'x':1}}}
            """)
    void wrongTypes(String body) {
      assertScimError(() -> user(body), 400, "invalidValue");
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("A user without userName is 400 invalidValue")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            {'displayName':'x'}
            {'userName':''}
            {'userName':null}
            """)
    void missingUserName(String body) {
      assertScimError(() -> user(body), 400, "invalidValue");
    }

    @Test
    @DisplayName("A body that is not an object is 400 invalidSyntax")
    void notAnObject() {
      assertScimError(
          () -> ResourceValidator.forCreate(json("[1]"), ResourceType.USER), 400, "invalidSyntax");
      assertScimError(
          () ->
              ResourceValidator.forCreate(json("{'userName':'u','schemas':{}}"), ResourceType.USER),
          400,
          "invalidSyntax");
    }

    @Test
    @DisplayName("A user body never yields members")
    void userHasNoMembers() {
      assertThat(
              ResourceValidator.forCreate(json("{'userName':'u','members':[]}"), ResourceType.USER)
                  .members())
          .isEmpty();
    }

    @Test
    @DisplayName("PUT replaces: the new document is the body, whatever the current one holds")
    void replace() {
      ObjectNode current = user("{'userName':'u','title':'Old','nickName':'n'}");
      ValidatedResource v =
          ResourceValidator.forReplace(
              json("{'userName':'u','title':'New'}"), current, ResourceType.USER);
      assertThat(v.document().get("title").asText()).isEqualTo("New");
      assertThat(v.document().has("nickName")).isFalse();
    }
  }

  @Nested
  @DisplayName("Groups")
  class Groups {
    @Test
    @DisplayName("Okta's group push with members: [] names an empty member list")
    void oktaEmptyMembers() {
      ValidatedResource v =
          ResourceValidator.forCreate(
              json(
                  "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],"
                      + "'displayName':'Admins','members':[]}"),
              ResourceType.GROUP);
      assertThat(v.members()).contains(List.of());
      assertThat(v.document().has("members")).isFalse();
      assertThat(v.document().get("displayName").asText()).isEqualTo("Admins");
    }

    @Test
    @DisplayName("Entra's group create without members leaves membership alone")
    void noMembersKey() {
      ValidatedResource v =
          ResourceValidator.forCreate(
              json(
                  "{'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group',"
                      + "'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group'],"
                      + "'externalId':'e','displayName':'G'}"),
              ResourceType.GROUP);
      assertThat(v.members()).isEmpty();
      assertThat(v.document().get("schemas"))
          .containsExactly(json("'urn:ietf:params:scim:schemas:core:2.0:Group'"));
    }

    @Test
    @DisplayName("Members carry value and type; type defaults to User, duplicates collapse")
    void members() {
      ValidatedResource v =
          ResourceValidator.forReplace(
              json(
                  "{'displayName':'G','members':[{'value':'u1','display':'U'},"
                      + "{'value':'g2','type':'group'},{'value':'u1','type':'User'}]}"),
              obj("{'displayName':'G'}"),
              ResourceType.GROUP);
      assertThat(v.members())
          .contains(
              List.of(new MemberRef("u1", MemberType.USER), new MemberRef("g2", MemberType.GROUP)));
    }

    @Test
    @DisplayName("members: null in a PUT empties the group")
    void nullMembers() {
      ValidatedResource v =
          ResourceValidator.forReplace(
              json("{'displayName':'G','members':null}"), obj("{}"), ResourceType.GROUP);
      assertThat(v.members()).contains(List.of());
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("Malformed members are 400 invalidValue")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
            {'displayName':'G','members':[{'display':'no value'}]}
            {'displayName':'G','members':[{'value':''}]}
            {'displayName':'G','members':[{'value':'u','type':'Device'}]}
            {'displayName':'G','members':[7]}
            """)
    void badMembers(String body) {
      assertScimError(
          () -> ResourceValidator.forCreate(json(body), ResourceType.GROUP), 400, "invalidValue");
    }

    @Test
    @DisplayName("A group without displayName is 400 invalidValue")
    void missingDisplayName() {
      assertScimError(
          () -> ResourceValidator.forCreate(json("{'members':[]}"), ResourceType.GROUP),
          400,
          "invalidValue");
    }

    @Test
    @DisplayName("User attributes in a group body are ignored")
    void userAttributesIgnored() {
      ObjectNode doc =
          ResourceValidator.forCreate(
                  json("{'displayName':'G','userName':'x'}"), ResourceType.GROUP)
              .document();
      assertThat(doc.has("userName")).isFalse();
    }
  }
}
