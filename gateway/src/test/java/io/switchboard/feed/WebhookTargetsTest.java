package io.switchboard.feed;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.TestGateway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Webhook targets: no requests into the operator's network (SSRF)")
class WebhookTargetsTest {
  private final TestGateway gateway = TestGateway.shared();
  private final WebhookTargets strict = WebhookTargets.create(gateway.vertx(), false);
  private final WebhookTargets permissive = WebhookTargets.create(gateway.vertx(), true);

  private String refusal(WebhookTargets targets, String url) {
    try {
      await(targets.check(url));
    } catch (WebhookTargets.Refused r) {
      return r.code();
    }
    return "accepted";
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "https://127.0.0.1/hook",
        "https://127.8.9.10:8443/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://172.31.255.254/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[fe80::1]/hook",
        "https://[fd12:3456::1]/hook",
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://224.0.0.1/hook",
        "https://[ff02::1]/hook",
        "https://100.64.0.1/hook",
        "https://255.255.255.255/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::ffff:a9fe:a9fe]/hook",
        "https://[2002:7f00:1::1]/hook",
        "https://[64:ff9b::a00:1]/hook"
      })
  @DisplayName("loopback, link-local, private, unique-local, multicast and unspecified are refused")
  void forbidden(String url) {
    assertThat(refusal(strict, url)).isEqualTo(WebhookTargets.FORBIDDEN_ADDRESS);
    assertThat(refusal(permissive, url.replace("https://", "http://"))).isEqualTo("accepted");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "https://93.184.215.14/hook",
        "https://172.32.0.1/hook",
        "https://[2606:4700:4700::1111]/hook",
        "https://[2002:5db8:d70e::1]/hook"
      })
  @DisplayName("public addresses are accepted")
  void publicAddresses(String url) {
    assertThat(refusal(strict, url)).isEqualTo("accepted");
  }

  @Test
  @DisplayName(
      "plain http needs private targets allowed; other schemes, credentials and names that do"
          + " not resolve are refused with their own codes")
  void urls() {
    assertThat(refusal(strict, "http://93.184.215.14/hook"))
        .isEqualTo(WebhookTargets.HTTPS_REQUIRED);
    assertThat(refusal(permissive, "http://93.184.215.14/hook")).isEqualTo("accepted");
    assertThat(refusal(strict, "ftp://93.184.215.14/hook")).isEqualTo(WebhookTargets.INVALID_URL);
    assertThat(refusal(strict, "https://user:pw@93.184.215.14/hook"))
        .isEqualTo(WebhookTargets.INVALID_URL);
    assertThat(refusal(strict, "/relative")).isEqualTo(WebhookTargets.INVALID_URL);
    assertThat(refusal(strict, "https://no-such-host.invalid/hook"))
        .isEqualTo(WebhookTargets.UNRESOLVABLE);
  }

  @Test
  @DisplayName("registering an endpoint on a private address is refused and stores nothing")
  void registration() {
    var t = gateway.newTenant();
    var sb = gateway.switchboard();
    Webhooks webhooks =
        new Webhooks(
            sb.database(), TenantKeyring.create(sb.vertx(), sb.database(), sb.sessions()), strict);
    assertThatThrownBy(() -> await(webhooks.create(t.id(), "https://localhost/x", "", true)))
        .isInstanceOfSatisfying(
            WebhookTargets.Refused.class,
            r -> assertThat(r.code()).isEqualTo(WebhookTargets.FORBIDDEN_ADDRESS));
    assertThatThrownBy(() -> await(webhooks.create(t.id(), "http://93.184.215.14/x", "", true)))
        .isInstanceOfSatisfying(
            WebhookTargets.Refused.class,
            r -> assertThat(r.code()).isEqualTo(WebhookTargets.HTTPS_REQUIRED));
    assertThat(await(webhooks.list(t.id()))).isEmpty();
    assertThat(await(webhooks.create(t.id(), "https://93.184.215.14/x", "", true)).secret())
        .startsWith("whsec_");
  }
}
