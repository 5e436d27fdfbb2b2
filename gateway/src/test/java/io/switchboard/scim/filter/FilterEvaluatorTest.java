package io.switchboard.scim.filter;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.scim.schema.ResourceType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FilterEvaluatorTest {

  static final ObjectNode USER =
      obj(
          """
          {'schemas':['urn:ietf:params:scim:schemas:core:2.0:User',
                      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
           'id':'2819c223-7f76-453a-919d-413861904646',
           'externalId':'Ext-42',
           'userName':'BJensen@Example.com',
           'name':{'familyName':'Jensen','givenName':'Barbara'},
           'displayName':'Babs Jensen',
           'active':true,
           'title':'Tour Guide',
           'emails':[{'value':'bjensen@example.com','type':'work','primary':true},
                     {'value':'babs@jensen.org','type':'home'}],
           'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User':
              {'employeeNumber':'701984','manager':{'value':'m-1'}},
           'meta':{'resourceType':'User','created':'2010-01-23T04:56:22Z',
                   'lastModified':'2011-05-13T04:42:34+02:00','version':'W/\\'3\\''}}
          """);

  static final ObjectNode GROUP =
      obj(
          """
          {'schemas':['urn:ietf:params:scim:schemas:core:2.0:Group'],
           'id':'g-1','displayName':'Tour Guides',
           'members':[{'value':'u-1','type':'User'},{'value':'u-2','type':'User'}]}
          """);

  static boolean matches(String filter, ResourceType type, ObjectNode resource) {
    return FilterEvaluator.compile(ScimFilter.parse(filter), type).matches(resource);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Filters evaluate against a user as RFC 7644 §3.4.2.2 describes")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          userName eq "bjensen@example.com"                  | true
          USERNAME Eq "BJENSEN@EXAMPLE.COM"                  | true
          userName eq "someone-else"                         | false
          userName ne "someone-else"                         | true
          userName co "jensen@"                              | true
          userName sw "bjen"                                 | true
          userName ew ".COM"                                 | true
          externalId eq "Ext-42"                             | true
          externalId eq "ext-42"                             | false
          externalId eq Ext-42                               | true
          id eq "2819c223-7f76-453a-919d-413861904646"       | true
          id eq "2819C223-7F76-453A-919D-413861904646"       | false
          name.familyName eq "jensen"                        | true
          name.givenName sw "Bar"                            | true
          title pr                                           | true
          nickName pr                                        | false
          not (nickName pr)                                  | true
          active eq true                                     | true
          active eq false                                    | false
          active ne false                                    | true
          emails eq "babs@jensen.org"                        | true
          emails.value eq "babs@jensen.org"                  | true
          emails.type eq "home"                              | true
          emails[type eq "work" and value co "@example.com"] | true
          emails[type eq "home" and value co "@example.com"] | false
          emails[type eq "work"].value eq "bjensen@example.com" | true
          emails[type eq "home"].value eq "bjensen@example.com" | false
          emails[primary eq true]                            | true
          emails[not (type eq "work")]                       | true
          name[givenName eq "barbara"]                       | true
          meta.created lt "2011-01-01T00:00:00Z"             | true
          meta.created gt "2011-01-01T00:00:00Z"             | false
          meta.lastModified eq "2011-05-13T02:42:34Z"        | true
          meta.lastModified ge "2011-05-13T02:42:34Z"        | true
          meta.lastModified gt "2011-05-13T02:42:34Z"        | false
          meta.lastModified le "2011-05-13T02:42:35.5Z"      | true
          meta.lastModified eq "2011-05-13T02:42:34"         | true
          meta.created gt "2010-01-23T04:56:21.999"          | true
          urn:ietf:params:scim:schemas:core:2.0:User:userName sw "bj" | true
          urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701984" | true
          urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m-1" | true
          employeeNumber eq "701984"                         | true
          manager eq null                                    | false
          nickName eq null                                   | true
          title pr and (userName eq "x" or active eq true)   | true
          title pr and userName eq "x" or active eq false    | false
          userName gt "a"                                    | true
          userName lt "a"                                    | false
          displayName ge "babs jensen"                       | true
          """)
  void evaluatesAgainstUser(String filter, boolean expected) {
    assertThat(matches(filter, ResourceType.USER, USER)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @DisplayName("Group filters see members, display names and ids")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          displayName eq "tour guides"                   | true
          id eq "g-1" and members eq "u-2"               | true
          id eq "g-1" and members eq "u-3"               | false
          members.value eq "u-1"                         | true
          members[value eq "u-1"]                        | true
          members pr                                     | true
          members[type eq "Group"]                       | false
          """)
  void evaluatesAgainstGroup(String filter, boolean expected) {
    assertThat(matches(filter, ResourceType.GROUP, GROUP)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Filters the server cannot evaluate are invalidFilter at compile time")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          USER  | noSuchAttribute eq "x"
          USER  | name.noSuchSub eq "x"
          USER  | active gt true
          USER  | active eq "maybe"
          USER  | active co "t"
          USER  | meta.created gt "yesterday"
          USER  | name eq "x"
          USER  | emails[noSuch eq "x"]
          USER  | userName[value eq "x"]
          USER  | members eq "x"
          USER  | userName gt null
          USER  | urn:example:unknown:1.0:User:foo eq "x"
          USER  | x509Certificates.value gt "x"
          GROUP | userName eq "x"
          GROUP | displayName[value eq "x"]
          """)
  void rejectsUnevaluable(ResourceType type, String filter) {
    Filter parsed = ScimFilter.parse(filter);
    assertScimError(() -> FilterEvaluator.compile(parsed, type), 400, "invalidFilter");
  }

  @Nested
  @DisplayName("Equalities for index lookups")
  class Equalities {
    static CompiledFilter compile(String filter, ResourceType type) {
      return FilterEvaluator.compile(ScimFilter.parse(filter), type);
    }

    @Test
    @DisplayName("userName eq is a case-insensitive equality on userName")
    void userName() {
      assertThat(compile("userName eq \"Bob\"", ResourceType.USER).equalities())
          .containsExactly(new Equality("userName", "Bob", false));
    }

    @Test
    @DisplayName("externalId and id equalities are case-exact, unquoted values included")
    void externalIdAndId() {
      assertThat(compile("externalId eq jyoung and id eq \"abc\"", ResourceType.USER).equalities())
          .containsExactly(
              new Equality("externalId", "jyoung", true), new Equality("id", "abc", true));
    }

    @Test
    @DisplayName("emails eq, emails.value eq and the Entra form all become emails.value")
    void emails() {
      assertThat(compile("emails eq \"a@x\"", ResourceType.USER).equalities())
          .containsExactly(new Equality("emails.value", "a@x", false));
      assertThat(compile("emails.value eq \"a@x\"", ResourceType.USER).equalities())
          .containsExactly(new Equality("emails.value", "a@x", false));
      assertThat(compile("emails[value eq \"a@x\"]", ResourceType.USER).equalities())
          .containsExactly(new Equality("emails.value", "a@x", false));
      assertThat(
              compile("emails[type eq \"work\"].value eq \"a@x\"", ResourceType.USER).equalities())
          .contains(new Equality("emails.value", "a@x", false));
    }

    @Test
    @DisplayName("Entra's membership probe yields id and members.value")
    void membershipProbe() {
      assertThat(compile("id eq \"G\" and members eq \"U\"", ResourceType.GROUP).equalities())
          .containsExactly(new Equality("id", "G", true), new Equality("members.value", "U", true));
      assertThat(compile("members.value eq \"U\"", ResourceType.GROUP).equalities())
          .containsExactly(new Equality("members.value", "U", true));
    }

    @Test
    @DisplayName("displayName eq on groups is a case-insensitive equality")
    void displayName() {
      assertThat(compile("DISPLAYNAME eq \"Admins\"", ResourceType.GROUP).equalities())
          .containsExactly(new Equality("displayName", "Admins", false));
    }

    @Test
    @DisplayName("Nothing under or or not, and no other operators, counts as an equality")
    void onlyNecessaryConditions() {
      assertThat(compile("userName eq \"a\" or userName eq \"b\"", ResourceType.USER).equalities())
          .isEmpty();
      assertThat(compile("not (userName eq \"a\")", ResourceType.USER).equalities()).isEmpty();
      assertThat(compile("userName sw \"a\"", ResourceType.USER).equalities()).isEmpty();
      assertThat(compile("active eq true", ResourceType.USER).equalities()).isEmpty();
      assertThat(compile("userName eq null", ResourceType.USER).equalities()).isEmpty();
    }

    @Test
    @DisplayName("referencedAttributes names the attributes and sub-attributes a filter reads")
    void referenced() {
      CompiledFilter f = compile("id eq \"G\" and members eq \"U\"", ResourceType.GROUP);
      assertThat(f.referencedAttributes()).contains("id", "members", "members.value");
      CompiledFilter g = compile("displayName eq \"x\"", ResourceType.GROUP);
      assertThat(g.referencedAttributes()).doesNotContain("members");
      CompiledFilter u = compile("emails[type eq \"work\"]", ResourceType.USER);
      assertThat(u.referencedAttributes()).contains("emails", "emails.type");
    }
  }
}
