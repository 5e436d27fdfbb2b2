package io.switchboard.http;

import static io.switchboard.testkit.ScimClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.scim.filter.ScimFilter;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.ScimClient.Response;
import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Hostile headers and tokens, and every advertised limit enforced")
class AbuseAndLimitsTest {
  private static final TestGateway GATEWAY = TestGateway.shared();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Raw HTTP/1.1, for headers java.net.http refuses to send (non-ASCII, duplicates, huge). */
  static RawResponse raw(String requestHead) throws IOException {
    try (Socket s = new Socket("127.0.0.1", GATEWAY.port())) {
      OutputStream out = s.getOutputStream();
      out.write(requestHead.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      String head = split < 0 ? text : text.substring(0, split);
      String body = split < 0 ? "" : text.substring(split + 4);
      int status = Integer.parseInt(head.substring(9, 12));
      return new RawResponse(status, head, body);
    }
  }

  record RawResponse(int status, String head, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  static String get(String path, String... headerLines) {
    StringBuilder b = new StringBuilder("GET /scim/v2" + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    for (String h : headerLines) {
      b.append(h).append("\r\n");
    }
    return b.append("Connection: close\r\n\r\n").toString();
  }

  @Nested
  @DisplayName("headers and tokens")
  class HeadersAndTokens {
    @Test
    @DisplayName("a header block over the limit is 431 with a SCIM error body")
    void oversizedHeaders() throws IOException {
      TestTenant t = GATEWAY.newTenant();
      RawResponse r =
          raw(
              get(
                  "/Users",
                  "Authorization: Bearer " + t.token(),
                  "X-Padding: " + "a".repeat(HttpHardening.MAX_HEADER_BYTES + 1)));
      assertThat(r.status()).isEqualTo(431);
      assertThat(r.json().get("status").asText()).isEqualTo("431");
      assertThat(r.json().get("schemas").get(0).asText())
          .isEqualTo("urn:ietf:params:scim:api:messages:2.0:Error");
    }

    @Test
    @DisplayName("more than one Authorization header is 401, even when each is valid")
    void manyAuthorizationHeaders() throws IOException {
      TestTenant a = GATEWAY.newTenant();
      TestTenant b = GATEWAY.newTenant();
      RawResponse reference = raw(get("/Users", "Authorization: Bearer sbt_nope"));
      assertThat(reference.status()).isEqualTo(401);
      for (String[] headers :
          new String[][] {
            {"Authorization: Bearer " + a.token(), "Authorization: Bearer " + a.token()},
            {"Authorization: Bearer " + a.token(), "Authorization: Bearer " + b.token()},
            {"Authorization: Bearer " + a.token(), "Authorization: Basic dXNlcjpwYXNz"},
            {"Authorization: Basic dXNlcjpwYXNz", "Authorization: Bearer " + a.token()},
          }) {
        RawResponse r = raw(get("/Users", headers));
        assertThat(r.status()).as(String.join(" + ", headers)).isEqualTo(401);
        assertThat(r.body()).isEqualTo(reference.body());
      }
      // and one valid header alone still works
      assertThat(raw(get("/Users", "Authorization: Bearer " + a.token())).status()).isEqualTo(200);
    }

    @Test
    @DisplayName("tokens of the wrong shape, length or charset all get the byte-identical 401")
    void wrongShapes() throws IOException {
      TestTenant a = GATEWAY.newTenant();
      String good = a.token();
      List<String> tokens = new ArrayList<>();
      tokens.add("");
      tokens.add("x");
      tokens.add("sbt_");
      tokens.add("sbt__");
      tokens.add(good.substring(0, good.length() - 1));
      tokens.add(good + "A");
      tokens.add(good.substring(0, good.length() - 1) + (good.endsWith("A") ? "B" : "A"));
      tokens.add(good.toUpperCase());
      tokens.add(good.replace('_', '-'));
      tokens.add("sbt_" + "A".repeat(4000));
      tokens.add(good + "\u00e9\u00ff");
      tokens.add(good.replace("sbt_", "sbt_" + a.tokenId().substring(0, 4)));
      tokens.add("Bearer " + good);
      String reference = null;
      for (String token : tokens) {
        RawResponse r = raw(get("/Users", "Authorization: Bearer " + token));
        assertThat(r.status()).as(token).isEqualTo(401);
        assertThat(r.head()).containsIgnoringCase("WWW-Authenticate");
        if (reference == null) {
          reference = r.body();
        }
        assertThat(r.body()).as(token).isEqualTo(reference);
      }
      // control characters are not valid in a header at all: the HTTP layer refuses them first
      RawResponse control = raw(get("/Users", "Authorization: Bearer sbt_\u0001\u0002_\u007f"));
      assertThat(control.status()).isEqualTo(400);
      assertThat(control.body()).doesNotContain(a.tokenId());
    }

    @Test
    @DisplayName("the secret check compares fixed-length digests with MessageDigest.isEqual")
    void constantTimeByConstruction() throws IOException {
      // Timing cannot be asserted reliably on a shared machine; the construction can. The secret is
      // hashed to a fixed 32 bytes before comparison, so how many leading characters match does not
      // change what is compared, and the comparison is the JDK's constant-time one.
      Path main = Path.of("src/main/java/io/switchboard");
      String contexts = Files.readString(main.resolve("tenant/TenantContexts.java"));
      String session = Files.readString(main.resolve("session/ScimSession.java"));
      assertThat(contexts).contains("MessageDigest.isEqual(expected, token.secretHash())");
      assertThat(session).contains("MessageDigest.isEqual(hmac, mac(salt, secret))");
      for (String src : List.of(contexts, session)) {
        assertThat(src).doesNotContain("Arrays.equals(").doesNotContain("secret.equals(");
      }
      var token =
          io.switchboard.session.BearerToken.generate(
              io.switchboard.session.BearerToken.IDP_PREFIX);
      assertThat(token.secretHash()).hasSize(32);
      assertThat(io.switchboard.session.BearerToken.sha256("x".repeat(10_000))).hasSize(32);
    }
  }

  @Nested
  @DisplayName("limits match /ServiceProviderConfig")
  class Limits {
    private final TestTenant tenant = GATEWAY.newTenant();
    private final ScimClient scim = tenant.scim();
    private final JsonNode spc = scim.get("/ServiceProviderConfig").body();

    @Test
    @DisplayName("a bulk request over maxOperations is 413 tooMany")
    void bulkOperations() {
      int max = spc.at("/bulk/maxOperations").asInt();
      assertThat(max).isPositive();
      StringBuilder ops = new StringBuilder();
      for (int i = 0; i <= max; i++) {
        ops.append(i == 0 ? "" : ",")
            .append(
                "{\"method\":\"DELETE\",\"path\":\"/Users/00000000-0000-0000-0000-000000000000\"}");
      }
      Response r =
          scim.post(
              "/Bulk",
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"Operations\":["
                  + ops
                  + "]}");
      assertThat(r.status()).as(r.toString()).isEqualTo(413);
      assertThat(r.body().get("scimType").asText()).isEqualTo("tooMany");
    }

    @Test
    @DisplayName("a bulk body over maxPayloadSize is 413 and a body over the body limit is 413")
    void payloadSizes() {
      int maxPayload = spc.at("/bulk/maxPayloadSize").asInt();
      String big =
          "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:BulkRequest\"],\"x\":\""
              + "a".repeat(maxPayload)
              + "\",\"Operations\":[]}";
      Response bulk = scim.post("/Bulk", big);
      assertThat(bulk.status()).as(bulk.toString()).isEqualTo(413);
      assertThat(bulk.body().get("status").asText()).isEqualTo("413");
      Response user = scim.post("/Users", "{\"userName\":\"" + "a".repeat(maxPayload) + "\"}");
      assertThat(user.status()).isEqualTo(413);
    }

    @Test
    @DisplayName("a filter over the length or depth limit is 400 invalidFilter")
    void filterLimits() {
      String longFilter = "userName eq \"" + "a".repeat(ScimFilter.MAX_LENGTH) + "\"";
      Response tooLong = scim.post("/Users/.search", searchBody(longFilter));
      assertThat(tooLong.status()).isEqualTo(400);
      assertThat(tooLong.body().get("scimType").asText()).isEqualTo("invalidFilter");
      int depth = ScimFilter.MAX_DEPTH + 1;
      String deep = "(".repeat(depth) + "userName pr" + ")".repeat(depth);
      Response tooDeep = scim.get("/Users?filter=" + q(deep));
      assertThat(tooDeep.status()).isEqualTo(400);
      assertThat(tooDeep.body().get("scimType").asText()).isEqualTo("invalidFilter");
      String ok =
          "(".repeat(ScimFilter.MAX_DEPTH - 2)
              + "userName pr"
              + ")".repeat(ScimFilter.MAX_DEPTH - 2);
      assertThat(scim.get("/Users?filter=" + q(ok)).status()).isEqualTo(200);
      String tenThousand = "(".repeat(10_000) + "userName pr" + ")".repeat(10_000);
      Response hostile = scim.post("/Users/.search", searchBody(tenThousand));
      assertThat(hostile.status()).isEqualTo(400);
    }

    @Test
    @DisplayName("count above maxResults is clamped, not an error")
    void countClamped() {
      int max = spc.at("/filter/maxResults").asInt();
      scim.post("/Users", "{\"userName\":\"clamp@example.com\"}");
      Response r = scim.get("/Users?count=" + (max + 1_000_000));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.body().get("itemsPerPage").asInt()).isBetween(0, max);
      Response huge = scim.get("/Users?count=99999999999999999999");
      assertThat(huge.status()).isIn(200, 400);
    }

    @Test
    @DisplayName(
        "PATCH operations over the limit are 400 tooMany; attributes per resource stay bounded")
    void patchAndAttributes() {
      String id =
          scim.post("/Users", "{\"userName\":\"patch-limit@example.com\"}")
              .body()
              .get("id")
              .asText();
      StringBuilder ops = new StringBuilder();
      for (int i = 0; i <= io.switchboard.scim.ServiceLimits.DEFAULT.maxPatchOperations(); i++) {
        ops.append(i == 0 ? "" : ",")
            .append("{\"op\":\"replace\",\"path\":\"title\",\"value\":\"t\"}");
      }
      Response r =
          scim.patch(
              "/Users/" + id,
              "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":["
                  + ops
                  + "]}");
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      assertThat(r.body().get("scimType").asText()).isEqualTo("tooMany");

      // unknown attributes are not stored: a resource cannot be inflated with arbitrary keys
      StringBuilder keys = new StringBuilder("{\"userName\":\"many-keys@example.com\"");
      for (int i = 0; i < 5_000; i++) {
        keys.append(",\"k").append(i).append("\":1");
      }
      Response many = scim.post("/Users", keys.append('}').toString());
      assertThat(many.status()).isIn(201, 400);
      if (many.status() == 201) {
        assertThat(many.body().size()).isLessThan(20);
      }
    }
  }

  static String searchBody(String filter) {
    try {
      return "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"],\"filter\":"
          + JSON.writeValueAsString(filter)
          + "}";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
