package io.switchboard.scim;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared test helpers: JSON from text, and "this fails with that scimType". */
public final class ScimAssertions {
  private ScimAssertions() {}

  /** JSON from a test literal; single quotes stand for double quotes to keep tables readable. */
  public static JsonNode json(String text) {
    return ScimJson.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  public static ObjectNode obj(String text) {
    return (ObjectNode) json(text);
  }

  public static void assertScimError(ThrowingCallable call, int status, String scimType) {
    assertThatThrownBy(call)
        .isInstanceOf(ScimException.class)
        .satisfies(
            t -> {
              ScimException e = (ScimException) t;
              org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(status);
              org.assertj.core.api.Assertions.assertThat(
                      e.scimType() == null ? null : e.scimType().keyword())
                  .isEqualTo(scimType);
            });
  }
}
