package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("scimsession format and bearer tokens")
class SessionFormatTest {

  @Test
  @DisplayName("a session survives a JSON round trip with its keys and verifiers")
  void roundTrip() {
    BearerToken token = BearerToken.generate(BearerToken.IDP_PREFIX);
    ScimSession s =
        ScimSession.create(UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00Z"))
            .withVerifier(
                token.tokenId(), ScimSession.TokenVerifier.of(token.secret(), Instant.now(), null))
            .withNewAccountKey(Instant.now());
    ScimSession back = SessionCodec.fromBytes(SessionCodec.toBytes(s));
    assertThat(back.tenantId()).isEqualTo(s.tenantId());
    assertThat(back.currentKeyVersion()).isEqualTo(2);
    assertThat(back.accountKeys().get(1).key()).isEqualTo(s.accountKeys().get(1).key());
    assertThat(back.verifiers().get(token.tokenId()).accepts(token.secret(), Instant.now()))
        .isTrue();
  }

  @Test
  @DisplayName("the session JSON names its format and never holds a token secret")
  void jsonShape() throws Exception {
    BearerToken token = BearerToken.generate(BearerToken.IDP_PREFIX);
    ScimSession s =
        ScimSession.create(UUID.randomUUID(), Instant.now())
            .withVerifier(
                token.tokenId(), ScimSession.TokenVerifier.of(token.secret(), Instant.now(), null));
    String json = new String(SessionCodec.toBytes(s));
    assertThat(new ObjectMapper().readTree(json).get("format").asText())
        .isEqualTo("switchboard.scimsession/1");
    assertThat(json).doesNotContain(token.secret());
    assertThat(s.toString()).doesNotContain("key\":");
  }

  @Test
  @DisplayName("malformed sessions are rejected with a message naming the problem")
  void malformed() {
    assertThatThrownBy(() -> SessionCodec.fromBytes("{}".getBytes()))
        .isInstanceOf(SessionCodec.InvalidSessionException.class)
        .hasMessageContaining("format");
    assertThatThrownBy(() -> SessionCodec.fromBytes("not json".getBytes()))
        .isInstanceOf(SessionCodec.InvalidSessionException.class);
  }

  @Test
  @DisplayName("a verifier rejects a wrong secret and an expired token")
  void verifier() {
    Instant now = Instant.now();
    ScimSession.TokenVerifier v =
        ScimSession.TokenVerifier.of("secret-a", now, now.plusSeconds(60));
    assertThat(v.accepts("secret-a", now)).isTrue();
    assertThat(v.accepts("secret-b", now)).isFalse();
    assertThat(v.accepts("secret-a", now.plusSeconds(61))).isFalse();
  }

  @Test
  @DisplayName("tokens parse only in their exact shape and never print their secret")
  void tokenShape() {
    BearerToken t = BearerToken.generate(BearerToken.IDP_PREFIX);
    assertThat(t.reveal()).matches("sbt_[0-9a-f]{32}_[A-Za-z0-9_-]{43}");
    assertThat(BearerToken.parse("sbt", t.reveal())).contains(t);
    assertThat(BearerToken.parse("sba", t.reveal())).isEmpty();
    assertThat(BearerToken.parse("sbt", t.reveal() + "x")).isEmpty();
    assertThat(BearerToken.parse("sbt", t.reveal().replace("sbt_", "sbt_G"))).isEmpty();
    assertThat(BearerToken.parse("sbt", "sbt_" + "a".repeat(5000))).isEmpty();
    assertThat(BearerToken.parse("sbt", null)).isEmpty();
    assertThat(t.toString()).doesNotContain(t.secret());
  }
}
