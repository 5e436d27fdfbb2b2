package io.switchboard.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.switchboard.scim.filter.Filter;
import io.switchboard.scim.filter.FilterEvaluator;
import io.switchboard.scim.filter.ScimFilter;
import io.switchboard.scim.patch.PatchPath;
import io.switchboard.scim.schema.ResourceType;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Random and adversarial input must end in a parse or a 400 ScimException, never in another
 * exception (which the router would turn into a 500). Seeded, so a failure reproduces.
 */
class HostileInputTest {
  private static final String ALPHABET =
      "abcemnrstuqwvlgpoidAEOR()[]\".\\: \t$-_019eqnecoswewgtgeltleprandornot"
          + "urn:ietf:params:scim:schemas:core:2.0:User:";
  private static final String[] TOKENS = {
    "userName",
    " eq ",
    " ne ",
    " co ",
    " pr",
    " and ",
    " or ",
    "not ",
    "(",
    ")",
    "[",
    "]",
    "\"x\"",
    "\"",
    "emails",
    ".value",
    "type",
    " gt ",
    "true",
    "null",
    "42",
    "members",
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:",
    "manager",
    "meta.created",
    "\"2020-01-01T00:00:00Z\"",
    "\\",
    "\\u00",
    " "
  };

  @Test
  @DisplayName("Random filters parse and compile or fail with a ScimException, never anything else")
  void randomFilters() {
    Random random = new Random(7644);
    int parsed = 0;
    for (int i = 0; i < 20_000; i++) {
      String text = i % 2 == 0 ? randomChars(random) : randomTokens(random);
      try {
        Filter f = ScimFilter.parse(text);
        parsed++;
        for (ResourceType t : ResourceType.values()) {
          try {
            FilterEvaluator.compile(f, t).matches(ScimJson.object());
          } catch (ScimException expected) {
            assertThat(expected.status()).isEqualTo(400);
          }
        }
      } catch (ScimException expected) {
        assertThat(expected.scimType()).isEqualTo(ScimType.INVALID_FILTER);
      }
    }
    assertThat(parsed).as("the generator also produces valid filters").isPositive();
  }

  @Test
  @DisplayName("Random PATCH paths parse or fail with invalidPath or invalidFilter")
  void randomPaths() {
    Random random = new Random(7643);
    for (int i = 0; i < 20_000; i++) {
      String text = i % 2 == 0 ? randomChars(random) : randomTokens(random);
      try {
        PatchPath.parse(text);
      } catch (ScimException expected) {
        assertThat(expected.scimType()).isIn(ScimType.INVALID_PATH, ScimType.INVALID_FILTER);
      }
    }
  }

  @Test
  @DisplayName("Pathological nesting and length stay within bounds")
  void pathological() {
    assertThatCode(() -> tryParse("not(".repeat(2000) + "a pr" + ")".repeat(2000)))
        .doesNotThrowAnyException();
    assertThatCode(() -> tryParse("a pr and ".repeat(450) + "a pr")).doesNotThrowAnyException();
    assertThatCode(() -> tryParse("emails[".repeat(1000))).doesNotThrowAnyException();
    assertThatCode(() -> tryParse("\"".repeat(4096))).doesNotThrowAnyException();
  }

  private static void tryParse(String text) {
    try {
      ScimFilter.parse(text);
    } catch (ScimException expected) {
      // fine
    }
  }

  private static String randomChars(Random random) {
    int len = random.nextInt(40);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private static String randomTokens(Random random) {
    int len = 1 + random.nextInt(12);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; i++) {
      b.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return b.toString();
  }
}
