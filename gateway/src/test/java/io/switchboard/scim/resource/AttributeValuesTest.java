package io.switchboard.scim.resource;

import static io.switchboard.scim.ScimAssertions.assertScimError;
import static io.switchboard.scim.ScimAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.scim.schema.AttributeDef;
import io.switchboard.scim.schema.AttributeDef.Mutability;
import io.switchboard.scim.schema.AttributeDef.Returned;
import io.switchboard.scim.schema.AttributeDef.Type;
import io.switchboard.scim.schema.AttributeDef.Uniqueness;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributeValuesTest {

  static AttributeDef simple(Type type) {
    return new AttributeDef(
        "x",
        type,
        false,
        false,
        false,
        Mutability.READ_WRITE,
        Returned.DEFAULT,
        Uniqueness.NONE,
        List.of(),
        List.of(),
        List.of(),
        "X.");
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @DisplayName("Each data type accepts its JSON form and the string forms clients send")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          STRING    | 'abc'                      | 'abc'
          STRING    | 12                         | '12'
          STRING    | ''                         | null
          BOOLEAN   | true                       | true
          BOOLEAN   | 'False'                    | false
          BOOLEAN   | ''                         | null
          INTEGER   | 42                         | 42
          INTEGER   | '42'                       | 42
          INTEGER   | 42.0                       | 42
          DECIMAL   | 1.5                        | 1.5
          DECIMAL   | '2.25'                     | 2.25
          DATE_TIME | '2011-05-13T04:42:34Z'     | '2011-05-13T04:42:34Z'
          DATE_TIME | '2011-05-13T04:42:34+02:00' | '2011-05-13T04:42:34+02:00'
          DATE_TIME | '2011-05-13T04:42:34'      | '2011-05-13T04:42:34'
          REFERENCE | 'https://x/Users/1'        | 'https://x/Users/1'
          BINARY    | 'TUlJQ2lq'                 | 'TUlJQ2lq'
          """)
  void accepted(Type type, String input, String expected) {
    JsonNode out = AttributeValues.normalize(simple(type), json(input), "x");
    if (expected.equals("null")) {
      assertThat(out).isNull();
    } else {
      // LongNode 42 and IntNode 42 differ as objects but not on the wire.
      assertThat(out.toString()).isEqualTo(json(expected).toString());
      assertThat(out.getNodeType()).isEqualTo(json(expected).getNodeType());
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @DisplayName("Values of the wrong type are invalidValue")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          STRING    | {'a':1}
          STRING    | ['a','b']
          STRING    | true
          BOOLEAN   | 3
          BOOLEAN   | 'yes'
          INTEGER   | 1.5
          INTEGER   | 'ten'
          INTEGER   | true
          DECIMAL   | 'x'
          DATE_TIME | 'yesterday'
          DATE_TIME | 20110513
          """)
  void rejected(Type type, String input) {
    assertScimError(
        () -> AttributeValues.normalize(simple(type), json(input), "x"), 400, "invalidValue");
  }
}
