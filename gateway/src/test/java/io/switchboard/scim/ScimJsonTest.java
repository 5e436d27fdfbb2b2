package io.switchboard.scim;

import static io.switchboard.scim.ScimAssertions.assertScimError;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScimJsonTest {
  @ParameterizedTest(name = "{0}")
  @DisplayName("A number whose exponent does not fit an int is 400 invalidSyntax, not a 500")
  @ValueSource(strings = {"{\"a\":1e999999999999}", "{\"a\":-1E-99999999999999}", "[1e9999999999]"})
  void exponentOutOfRange(String body) {
    assertScimError(
        () -> ScimJson.parse(body.getBytes(StandardCharsets.UTF_8)), 400, "invalidSyntax");
  }
}
