package io.switchboard.testkit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP/1.1 reverse proxy on 127.0.0.1 standing in for the load balancer in front of gateway
 * instances (an AWS ALB target group, an nginx upstream). It behaves as those do where a rolling
 * restart is concerned, and no more:
 *
 * <ul>
 *   <li>an active health check, {@code GET /ready} every 100 ms: 200 marks a backend healthy, any
 *       other answer or error unhealthy;
 *   <li>round-robin over the healthy backends, kept-alive connections to them;
 *   <li>a backend that cannot be connected to (refused, reset while connecting) before anything of
 *       the request was written is skipped and the request goes to the next healthy backend, as
 *       nginx's {@code proxy_next_upstream error} does;
 *   <li>once a connection was obtained and the request handed to it, a failure is never retried (a
 *       POST must not be applied twice): the client gets 502.
 * </ul>
 *
 * <p>Usage: {@code var lb = TestLoadBalancer.start(List.of(portA, portB)); new
 * ScimClient(lb.baseUrl(), token)}.
 */
public final class TestLoadBalancer implements AutoCloseable {
  private static final long HEALTH_INTERVAL_MILLIS = 100;
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "http2-settings",
          "host",
          "content-length");

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final List<Backend> backends;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicLong retriedBeforeSend = new AtomicLong();
  private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
  private HttpServer server;

  /** One upstream: its port, what the health check last said, and how many answers it gave. */
  private static final class Backend {
    final int port;
    volatile boolean healthy;
    volatile boolean checking;
    final AtomicLong served = new AtomicLong();

    Backend(int port) {
      this.port = port;
    }
  }

  private TestLoadBalancer(List<Integer> ports) {
    this.vertx = Vertx.vertx();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000),
            new PoolOptions().setHttp1MaxSize(32));
    this.backends = ports.stream().map(Backend::new).toList();
  }

  /** A load balancer in front of gateways listening on these loopback ports. */
  public static TestLoadBalancer start(List<Integer> backendPorts) {
    TestLoadBalancer lb = new TestLoadBalancer(backendPorts);
    lb.vertx.setPeriodic(HEALTH_INTERVAL_MILLIS, id -> lb.backends.forEach(lb::check));
    lb.server =
        TestGateway.await(
            lb.vertx
                .createHttpServer(
                    new HttpServerOptions()
                        .setHost("127.0.0.1")
                        .setPort(0)
                        .setHttp2ClearTextEnabled(false))
                .requestHandler(lb::proxy)
                .listen());
    return lb;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/scim/v2";
  }

  /** Responses the backend on this port gave that were relayed to clients. */
  public long served(int port) {
    return backend(port).served.get();
  }

  public boolean healthy(int port) {
    return backend(port).healthy;
  }

  /** Requests sent to another backend because a connection to the first could not be made. */
  public long retriedBeforeSend() {
    return retriedBeforeSend.get();
  }

  /** What went wrong for each 502/503 this load balancer answered itself. */
  public List<String> errors() {
    return List.copyOf(errors);
  }

  /** Waits until the health check reports the backend on this port as {@code healthy}. */
  public void awaitHealth(int port, boolean healthy, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (backend(port).healthy != healthy) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "backend "
                + port
                + " not "
                + (healthy ? "healthy" : "unhealthy")
                + " after "
                + timeout);
      }
      Thread.sleep(20);
    }
  }

  private Backend backend(int port) {
    return backends.stream()
        .filter(b -> b.port == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no backend on port " + port));
  }

  private void check(Backend b) {
    if (b.checking) {
      return;
    }
    b.checking = true;
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(b.port, "127.0.0.1"))
                .setHost("127.0.0.1")
                .setPort(b.port)
                .setURI("/ready")
                .setIdleTimeout(1_000))
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
        .onComplete(
            ar -> {
              b.healthy = ar.succeeded() && ar.result() == 200;
              b.checking = false;
            });
  }

  private void proxy(HttpServerRequest req) {
    req.body()
        .compose(body -> forward(req, body, new HashSet<>()))
        .onSuccess(
            answer -> {
              var response = req.response().setStatusCode(answer.status());
              answer.headers().forEach(h -> copy(h, response.headers()));
              response.end(answer.body());
            })
        .onFailure(
            e -> {
              int status = e instanceof NoBackend ? 503 : 502;
              errors.add(status + " " + req.method() + " " + req.path() + ": " + e);
              req.response()
                  .setStatusCode(status)
                  .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                  .end("load balancer: " + e.getMessage());
            });
  }

  private record Answer(int status, MultiMap headers, Buffer body) {}

  private static final class NoBackend extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoBackend() {
      super("no healthy backend", null, false, false);
    }
  }

  private Future<Answer> forward(HttpServerRequest req, Buffer body, Set<Backend> tried) {
    Backend b = pick(tried);
    if (b == null) {
      return Future.failedFuture(new NoBackend());
    }
    tried.add(b);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    req.headers().forEach(h -> copy(h, headers));
    headers.set("X-Forwarded-For", req.remoteAddress().hostAddress());
    RequestOptions options =
        new RequestOptions()
            .setMethod(req.method())
            .setServer(SocketAddress.inetSocketAddress(b.port, "127.0.0.1"))
            .setHost("127.0.0.1")
            .setPort(b.port)
            .setURI(req.uri())
            .setHeaders(headers)
            .setIdleTimeout(30_000);
    Future<HttpClientRequest> connected = client.request(options);
    return connected.transform(
        ar -> {
          if (ar.failed()) {
            // nothing of the request reached this backend: another one may take it
            b.healthy = false;
            retriedBeforeSend.incrementAndGet();
            return forward(req, body, tried);
          }
          return ar.result()
              .send(body)
              .compose(
                  resp ->
                      resp.body()
                          .map(
                              bytes -> {
                                b.served.incrementAndGet();
                                return new Answer(resp.statusCode(), resp.headers(), bytes);
                              }));
        });
  }

  private Backend pick(Set<Backend> tried) {
    List<Backend> candidates =
        backends.stream().filter(b -> b.healthy && !tried.contains(b)).toList();
    if (candidates.isEmpty()) {
      return null;
    }
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }

  private static void copy(java.util.Map.Entry<String, String> header, MultiMap to) {
    if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
      to.add(header.getKey(), header.getValue());
    }
  }

  @Override
  public void close() {
    TestGateway.await(vertx.close());
  }
}
