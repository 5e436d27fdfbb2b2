package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestGateway;
import io.switchboard.testkit.TestGateway.TestTenant;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Graceful shutdown (what SIGTERM runs)")
class GracefulShutdownTest {
  @Test
  @DisplayName(
      "stop refuses new connections, lets the request in flight finish, and keeps its write")
  void drainsInFlight() throws Exception {
    TestGateway gw = TestGateway.start(env -> env.put("SWITCHBOARD_DRAIN_TIMEOUT", "60s"));
    TestGateway reader = TestGateway.shared();
    TestTenant t = gw.newTenant();
    int port = gw.port();
    String body =
        "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"drain@example.com\"}";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try (Socket inFlight = new Socket("127.0.0.1", port)) {
      OutputStream out = inFlight.getOutputStream();
      out.write(
          ("POST /scim/v2/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + t.token()
                  + "\r\nContent-Type: application/scim+json\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.write(bytes, 0, 10); // the request is now in flight, its body half sent
      out.flush();

      // Wait until the gateway holds the request (its tenant permit is taken before the body).
      for (int attempt = 0;
          attempt < 400 && gw.switchboard().limiter().inFlight(t.id()) == 0;
          attempt++) {
        Thread.sleep(10);
      }
      assertThat(gw.switchboard().limiter().inFlight(t.id())).as("request in flight").isEqualTo(1);
      Future<Void> stopping = gw.stopServer();

      // New connections are refused while the old request is still held open by this test.
      boolean refused = false;
      for (int attempt = 0; attempt < 400 && !refused; attempt++) {
        try (Socket probe = new Socket()) {
          probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
          Thread.sleep(25);
        } catch (ConnectException e) {
          refused = true;
        }
      }
      assertThat(refused).as("new connections refused during the drain").isTrue();
      assertThat(stopping.isComplete()).as("stop waits for the request in flight").isFalse();

      out.write(bytes, 10, bytes.length - 10);
      out.flush();
      InputStream in = inFlight.getInputStream();
      String response = readHead(in);
      assertThat(response).startsWith("HTTP/1.1 201");
      TestGateway.await(stopping);
    } finally {
      gw.close();
    }
    // the acknowledged write is there for any other instance
    var list =
        reader
            .client(t.token())
            .get(
                "/Users?filter="
                    + io.switchboard.testkit.ScimClient.q("userName eq \"drain@example.com\""));
    assertThat(list.body().get("totalResults").asInt()).isEqualTo(1);
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      b.append((char) c);
      if (b.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    return b.toString();
  }
}
