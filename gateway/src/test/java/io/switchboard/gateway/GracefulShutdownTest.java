package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  @DisplayName(
      "during the shutdown delay /ready answers 503 draining, /health 200, requests are still"
          + " served but with Connection: close, and only then the listener closes")
  void reportsDrainingBeforeClosing() throws Exception {
    TestGateway gw = TestGateway.start(env -> env.put("SWITCHBOARD_SHUTDOWN_DELAY", "5s"));
    TestTenant t = gw.newTenant();
    int port = gw.port();
    try (Socket keptAlive = new Socket("127.0.0.1", port)) {
      keptAlive.setSoTimeout(10_000);
      String before = exchange(keptAlive, "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(before).startsWith("HTTP/1.1 200").contains("\"status\":\"ready\"");
      assertThat(before.toLowerCase()).doesNotContain("connection: close");

      Future<Void> stopping = gw.stopServer();

      // the connection opened before the signal is answered, then closed by the gateway
      String ready = exchange(keptAlive, "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(ready).startsWith("HTTP/1.1 503").contains("{\"status\":\"draining\"}");
      assertThat(ready.toLowerCase()).contains("connection: close");
      assertThat(keptAlive.getInputStream().read()).as("closed after the response").isEqualTo(-1);

      // new connections are still accepted and served during the delay
      try (Socket health = new Socket("127.0.0.1", port)) {
        health.setSoTimeout(10_000);
        assertThat(exchange(health, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
            .startsWith("HTTP/1.1 200");
      }
      try (Socket scim = new Socket("127.0.0.1", port)) {
        scim.setSoTimeout(10_000);
        String list =
            exchange(
                scim,
                "GET /scim/v2/Users?count=0 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + t.token()
                    + "\r\n\r\n");
        assertThat(list).startsWith("HTTP/1.1 200").contains("\"totalResults\":0");
        assertThat(list.toLowerCase()).contains("connection: close");
      }
      assertThat(stopping.isComplete()).as("still within the shutdown delay").isFalse();

      TestGateway.await(stopping);
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .as("the listener is closed after the delay")
          .isInstanceOf(ConnectException.class);
    } finally {
      gw.close();
    }
  }

  /** Sends one request and reads one response (head and Content-Length body). */
  private static String exchange(Socket socket, String request) throws IOException {
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    int length = 0;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return head + new String(body, StandardCharsets.UTF_8);
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
