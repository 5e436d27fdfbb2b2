package io.switchboard.feed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A webhook receiver on 127.0.0.1 for tests: verifies every signature, records every request, and
 * answers as the test's script says (a status, or hang past the sender's timeout). Tracks how many
 * requests for the same event are in flight at once.
 */
final class WebhookReceiver implements AutoCloseable {
  /** What to do with one request: answer {@code status}, after {@code delay}. */
  record Answer(int status, Duration delay) {
    static Answer ok() {
      return new Answer(204, Duration.ZERO);
    }

    static Answer fail() {
      return new Answer(500, Duration.ZERO);
    }

    static Answer hang(Duration d) {
      return new Answer(200, d);
    }
  }

  /** One request as received. */
  record Received(
      String idempotencyKey,
      long seq,
      String type,
      String body,
      boolean signatureValid,
      Answer answer) {}

  private final HttpServer server;
  private final String secretHolder[] = new String[1];
  private volatile Function<Received, Answer> script = r -> Answer.ok();
  final List<Received> requests = new CopyOnWriteArrayList<>();
  final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  final AtomicInteger maxConcurrentSameEvent = new AtomicInteger();

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/hook", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  void secret(String secret) {
    secretHolder[0] = secret;
  }

  void script(Function<Received, Answer> script) {
    this.script = script;
  }

  /** Seqs answered with 2xx promptly (the sender saw them succeed), first time each. */
  List<Long> acceptedSeqs() {
    return requests.stream()
        .filter(r -> r.answer().status() < 300 && r.answer().delay().isZero())
        .map(Received::seq)
        .distinct()
        .toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
    AtomicInteger counter = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
    int now = counter.incrementAndGet();
    maxConcurrentSameEvent.accumulateAndGet(now, Math::max);
    try {
      String secret = secretHolder[0];
      boolean valid =
          secret != null
              && WebhookSignature.verify(
                  secret,
                  ex.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                  body,
                  Instant.now(),
                  WebhookSignature.DEFAULT_TOLERANCE);
      String seqHeader = ex.getRequestHeaders().getFirst("Switchboard-Event-Seq");
      Received probe =
          new Received(
              key,
              Long.parseLong(seqHeader),
              ex.getRequestHeaders().getFirst("Switchboard-Event-Type"),
              new String(body, java.nio.charset.StandardCharsets.UTF_8),
              valid,
              null);
      Answer answer = valid ? script.apply(probe) : new Answer(401, Duration.ZERO);
      requests.add(
          new Received(
              probe.idempotencyKey(), probe.seq(), probe.type(), probe.body(), valid, answer));
      if (!answer.delay().isZero()) {
        try {
          Thread.sleep(answer.delay().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      ex.sendResponseHeaders(answer.status(), -1);
    } catch (IOException e) {
      // the sender gave up (timeout); nothing to answer
    } finally {
      counter.decrementAndGet();
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
