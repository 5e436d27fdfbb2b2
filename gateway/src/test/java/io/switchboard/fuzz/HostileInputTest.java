package io.switchboard.fuzz;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Inputs too large to commit to the corpus, generated here and fed through the same fuzz targets:
 * each must end in a SCIM 4xx or a result, not an error or an unbounded allocation.
 */
class HostileInputTest {
  static final int TEN_MB = 10 * 1024 * 1024;

  @Test
  @DisplayName("A 10 MB string is rejected or handled by every target")
  void tenMegabyteStrings() {
    String big = "x".repeat(TEN_MB);
    new FilterFuzzTest().parseAndEvaluate(utf8("userName eq \"" + big + "\""));
    new PatchFuzzTest().path(utf8(big));
    new PatchFuzzTest()
        .request(
            utf8(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"replace\",\"path\":\"title\",\"value\":\""
                    + big
                    + "\"}]}"));
    new RequestBodyFuzzTest()
        .decodeAndValidate(
            utf8(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\""
                    + big
                    + "\"}"));
  }

  @Test
  @DisplayName("100,000 group members in one body are rejected or handled")
  void hundredThousandMembers() {
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      members.append(i == 0 ? "" : ",").append("{\"value\":\"2819c223-7f76-453a-919d-");
      members.append(String.format("%012d", i)).append("\"}");
    }
    new RequestBodyFuzzTest()
        .decodeAndValidate(
            utf8(
                "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:Group\"],"
                    + "\"displayName\":\"G\",\"members\":["
                    + members
                    + "]}"));
    new PatchFuzzTest()
        .request(
            utf8(
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],"
                    + "\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":["
                    + members
                    + "]}]}"));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
