package io.switchboard.scim.filter;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.scim.ScimException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScimFilterTest {

  /** A compact rendering of the tree, so a table can state the expected parse. */
  static String render(Filter f) {
    if (f instanceof Filter.And a) {
      return "(and " + render(a.left()) + " " + render(a.right()) + ")";
    }
    if (f instanceof Filter.Or o) {
      return "(or " + render(o.left()) + " " + render(o.right()) + ")";
    }
    if (f instanceof Filter.Not n) {
      return "(not " + render(n.inner()) + ")";
    }
    if (f instanceof Filter.Present p) {
      return "(pr " + p.path() + ")";
    }
    if (f instanceof Filter.Comparison c) {
      String lit =
          c.literal().isTextual() ? "'" + c.literal().textValue() + "'" : c.literal().toString();
      return "(" + c.op().keyword() + " " + c.path() + " " + lit + ")";
    }
    Filter.ValuePath vp = (Filter.ValuePath) f;
    return "(" + vp.path() + "[" + render(vp.filter()) + "])";
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Valid filters parse to the expected tree")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          userName eq "bjensen"                            | (eq userName 'bjensen')
          USERNAME EQ "bjensen"                            | (eq USERNAME 'bjensen')
          name.familyName co "O'Malley"                    | (co name.familyName 'O'Malley')
          userName sw "J"                                  | (sw userName 'J')
          userName ew "son"                                | (ew userName 'son')
          title pr                                         | (pr title)
          title PR                                         | (pr title)
          userType ne "Employee"                           | (ne userType 'Employee')
          meta.lastModified gt "2011-05-13T04:42:34Z"      | (gt meta.lastModified '2011-05-13T04:42:34Z')
          meta.lastModified ge "2011-05-13T04:42:34Z"      | (ge meta.lastModified '2011-05-13T04:42:34Z')
          meta.lastModified lt "2011-05-13T04:42:34Z"      | (lt meta.lastModified '2011-05-13T04:42:34Z')
          meta.lastModified le "2011-05-13T04:42:34Z"      | (le meta.lastModified '2011-05-13T04:42:34Z')
          title pr and userType eq "Employee"              | (and (pr title) (eq userType 'Employee'))
          title pr or userType eq "Intern"                 | (or (pr title) (eq userType 'Intern'))
          a pr or b pr and c pr                            | (or (pr a) (and (pr b) (pr c)))
          a pr and b pr or c pr                            | (or (and (pr a) (pr b)) (pr c))
          (a pr or b pr) and c pr                          | (and (or (pr a) (pr b)) (pr c))
          a pr AND b pr Or c pr                            | (or (and (pr a) (pr b)) (pr c))
          not (a pr)                                       | (not (pr a))
          NOT(a pr) and b pr                               | (and (not (pr a)) (pr b))
          active eq true                                   | (eq active true)
          active eq False                                  | (eq active false)
          manager eq null                                  | (eq manager null)
          x eq 42                                          | (eq x 42)
          x gt -1.5                                        | (gt x -1.5)
          externalId eq jyoung                             | (eq externalId 'jyoung')
          externalId eq 2819c223-7f76-453a                 | (eq externalId '2819c223-7f76-453a')
          emails[type eq "work" and value co "@example.com"] | (emails[(and (eq type 'work') (co value '@example.com'))])
          emails[type eq "work"].value eq "a@x.org"        | (emails[(and (eq type 'work') (eq value 'a@x.org'))])
          members[value eq "g1"]                           | (members[(eq value 'g1')])
          urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J" | (sw urn:ietf:params:scim:schemas:core:2.0:User:userName 'J')
          urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m1" | (eq urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value 'm1')
          userName eq "a \\"quoted\\" name"                | (eq userName 'a "quoted" name')
          userName eq "caf\\u00e9"                         | (eq userName 'café')
          members.$ref pr                                  | (pr members.$ref)
            userName eq "x"                                | (eq userName 'x')
          (((a pr)))                                       | (pr a)
          """)
  void parsesValidFilters(String filter, String expected) {
    assertThat(render(ScimFilter.parse(filter))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("Invalid filters are 400 invalidFilter")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          userName                         | no operator
          userName eq                      | no value
          userName xx "a"                  | unknown operator
          userName eq "a                   | unterminated string
          (userName eq "a"                 | missing close paren
          userName eq "a")                 | stray close paren
          userName eq "a" and              | dangling and
          and userName eq "a"              | leading and
          userName eq "a" userName eq "b"  | two expressions without a joiner
          not userName eq "a"              | not without parentheses
          emails[type eq "work"            | missing close bracket
          emails[type[value eq "x"] eq "y"] | nested value filter
          emails[urn:x:y:type eq "x"]      | URN inside a value filter
          name.givenName.x eq "a"          | three-part path
          1abc eq "a"                      | name starting with a digit
          userName eq "a\\q"               | bad escape
          urn:ietf:params: pr              | URN without an attribute
          emails[].value eq "x"            | empty value filter
          userName eq "a" or               | dangling or
          userNameeq "a"                   | operator glued to the name
          meta.version eq 1e999999999999   | exponent beyond int (found by fuzzing)
          userName eq -1E-99999999999999999 | negative exponent beyond int
          """)
  void rejectsInvalidFilters(String filter, String why) {
    assertScimError(() -> ScimFilter.parse(filter), 400, "invalidFilter");
  }

  @Test
  @DisplayName("An empty or blank filter is invalidFilter")
  void emptyFilter() {
    assertScimError(() -> ScimFilter.parse(""), 400, "invalidFilter");
    assertScimError(() -> ScimFilter.parse("   "), 400, "invalidFilter");
    assertScimError(() -> ScimFilter.parse(null), 400, "invalidFilter");
  }

  @Test
  @DisplayName("Error details give the position and a reason")
  void errorHasPosition() {
    assertThatThrownBy(() -> ScimFilter.parse("userName eq \"a\" )"))
        .isInstanceOf(ScimException.class)
        .hasMessageContaining("position 16")
        .hasMessageContaining("unexpected ')'");
  }

  @Test
  @DisplayName("Error details do not echo the filter's values")
  void errorDoesNotEchoValue() {
    assertThatThrownBy(() -> ScimFilter.parse("userName eq \"secret-person@example.com"))
        .isInstanceOf(ScimException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .doesNotContain("secret-person");
  }

  @Test
  @DisplayName("Nesting deeper than 50 levels is invalidFilter, not a stack overflow")
  void deepNesting() {
    String ok = "(".repeat(49) + "a pr" + ")".repeat(49);
    assertThat(ScimFilter.parse(ok)).isInstanceOf(Filter.Present.class);

    String deep = "(".repeat(51) + "a pr" + ")".repeat(51);
    assertScimError(() -> ScimFilter.parse(deep), 400, "invalidFilter");

    String hostile = "(".repeat(4000);
    assertScimError(() -> ScimFilter.parse(hostile), 400, "invalidFilter");

    String nots = "not (".repeat(60) + "a pr" + ")".repeat(60);
    assertScimError(() -> ScimFilter.parse(nots), 400, "invalidFilter");
  }

  @Test
  @DisplayName("A filter longer than 4096 characters is invalidFilter")
  void tooLong() {
    String value = "x".repeat(4096);
    assertScimError(() -> ScimFilter.parse("userName eq \"" + value + "\""), 400, "invalidFilter");
  }

  @Test
  @DisplayName("A long flat chain of ands parses without recursion trouble")
  void longChain() {
    StringBuilder b = new StringBuilder("a0 pr");
    for (int i = 1; i < 300; i++) {
      b.append(" and a").append(i).append(" pr");
    }
    Filter f = ScimFilter.parse(b.toString());
    assertThat(f.conjuncts()).hasSize(300);
  }

  @Test
  @DisplayName("conjuncts() lists the top-level and-ed terms left to right and stops at or")
  void conjuncts() {
    List<Filter> c =
        ScimFilter.parse("id eq \"G\" and members eq \"U\" and (a pr or b pr)").conjuncts();
    assertThat(c).hasSize(3);
    assertThat(render(c.get(0))).isEqualTo("(eq id 'G')");
    assertThat(render(c.get(1))).isEqualTo("(eq members 'U')");
    assertThat(c.get(2)).isInstanceOf(Filter.Or.class);

    assertThat(ScimFilter.parse("a pr or b pr").conjuncts()).hasSize(1);
  }

  @Test
  @DisplayName("Paths keep the URN, the attribute and the sub-attribute apart")
  void attrPathParts() {
    Filter.Comparison c =
        (Filter.Comparison)
            ScimFilter.parse(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m\"");
    assertThat(c.path().schemaUrn())
        .isEqualTo("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    assertThat(c.path().attribute()).isEqualTo("manager");
    assertThat(c.path().subAttribute()).isEqualTo("value");
    assertThat(c.op()).isEqualTo(Operator.EQ);
  }
}
