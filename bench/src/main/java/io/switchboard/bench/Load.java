package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * The load generator: HTTP/1.1 keep-alive over loopback from this JVM (not the server's), with a
 * bounded request count and a bounded duration, so a load always stops by itself.
 *
 * <ul>
 *   <li><b>Closed loop</b> ({@code rate == 0}): N connections, each sends its next request when the
 *       previous answer arrives. Latency is service time as the client sees it.
 *   <li><b>Open loop</b> ({@code rate > 0}): requests are due at fixed intervals whatever the
 *       server does; latency is measured from when a request was <i>due</i>, not when it could be
 *       sent, so a stall is charged to every request it delayed (no coordinated omission).
 * </ul>
 *
 * <p>Usage: {@code Load.run(vertx, target, new Load.Spec(32, 0, 100_000, ofSeconds(10)), i ->
 * req)}.
 */
final class Load {
  private Load() {}

  /** Where to send: loopback host and port. */
  record Target(String host, int port) {}

  /** A request to send; {@code ok} says which status codes count as success. */
  record Req(HttpMethod method, String uri, String token, Buffer body, int okLow, int okHigh) {
    static Req get(String uri, String token) {
      return new Req(HttpMethod.GET, uri, token, null, 200, 299);
    }

    static Req send(HttpMethod m, String uri, String token, Buffer body) {
      return new Req(m, uri, token, body, 200, 299);
    }

    Req accepting(int low, int high) {
      return new Req(method, uri, token, body, low, high);
    }
  }

  /** How to load: connections, rate (0 = closed loop), at most this many requests and this long. */
  record Spec(int connections, double rate, long maxRequests, Duration maxDuration) {
    Spec withMax(long requests, Duration duration) {
      return new Spec(connections, rate, requests, duration);
    }
  }

  /** What happened. Latencies in microseconds. */
  record Result(
      long requests,
      long errors,
      double seconds,
      Histogram latencyMicros,
      Map<Integer, Long> statuses,
      String firstError,
      long connections) {
    double rps() {
      return seconds <= 0 ? 0 : requests / seconds;
    }

    double ms(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? 0
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  static HttpClientAgent client(Vertx vertx, Target target, int connections) {
    return client(vertx, target, connections, new java.util.concurrent.atomic.AtomicLong());
  }

  /** A client that counts the connections it opens into {@code connects}. */
  static HttpClientAgent client(
      Vertx vertx,
      Target target,
      int connections,
      java.util.concurrent.atomic.AtomicLong connects) {
    return vertx
        .httpClientBuilder()
        .with(
            new HttpClientOptions()
                .setDefaultHost(target.host())
                .setDefaultPort(target.port())
                .setKeepAlive(true)
                .setPipelining(false)
                .setIdleTimeout(60)
                .setConnectTimeout(10_000))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .withConnectHandler(conn -> connects.incrementAndGet())
        .build();
  }

  /** One exchange: status and body (for seeding and checks). */
  record Resp(int status, Buffer body) {}

  static Future<Resp> call(HttpClientAgent client, Req r) {
    RequestOptions o =
        new RequestOptions().setMethod(r.method()).setURI(r.uri()).setIdleTimeout(60_000);
    if (r.token() != null) {
      o.putHeader("Authorization", "Bearer " + r.token());
    }
    if (r.body() != null) {
      o.putHeader("Content-Type", "application/scim+json");
    }
    o.putHeader("Accept", "application/scim+json");
    return client
        .request(o)
        .compose(req -> r.body() == null ? req.send() : req.send(r.body()))
        .compose(resp -> resp.body().map(b -> new Resp(resp.statusCode(), b)));
  }

  /** Runs one load; {@code source} makes the i-th request (called on one event-loop thread). */
  static Result run(Vertx vertx, Target target, Spec spec, LongFunction<Req> source) {
    java.util.concurrent.atomic.AtomicLong connects = new java.util.concurrent.atomic.AtomicLong();
    HttpClientAgent client = client(vertx, target, spec.connections(), connects);
    try {
      Promise<Result> done = Promise.promise();
      vertx.runOnContext(
          v -> {
            if (spec.rate() > 0) {
              new OpenLoop(vertx, client, spec, source, done).start();
            } else {
              new ClosedLoop(client, spec, source, done).start();
            }
          });
      long waitSeconds = spec.maxDuration().toSeconds() + 120;
      return done.future()
          .map(
              r ->
                  new Result(
                      r.requests(),
                      r.errors(),
                      r.seconds(),
                      r.latencyMicros(),
                      r.statuses(),
                      r.firstError(),
                      connects.get()))
          .toCompletionStage()
          .toCompletableFuture()
          .get(waitSeconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("load did not finish: " + e, e);
    } finally {
      client.close();
    }
  }

  /** Shared bookkeeping; everything runs on the one event loop, so no locking. */
  private abstract static class Run {
    final HttpClientAgent client;
    final Spec spec;
    final LongFunction<Req> source;
    final Promise<Result> done;
    final Histogram hist = new Histogram(120_000_000L, 3);
    final Map<Integer, Long> statuses = new TreeMap<>();
    long started;
    long deadline;
    long issued;
    long completed;
    long errors;
    long lastCompletion;
    String firstError;

    Run(HttpClientAgent client, Spec spec, LongFunction<Req> source, Promise<Result> done) {
      this.client = client;
      this.spec = spec;
      this.source = source;
      this.done = done;
    }

    boolean mayIssue(long now) {
      return issued < spec.maxRequests() && now < deadline;
    }

    void send(long intendedNanos) {
      long i = issued++;
      Req r = source.apply(i);
      call(client, r)
          .onComplete(
              ar -> {
                long end = System.nanoTime();
                lastCompletion = end;
                completed++;
                hist.recordValue(Math.max(1, Math.min((end - intendedNanos) / 1000, 119_999_999L)));
                if (ar.succeeded()) {
                  int s = ar.result().status();
                  statuses.merge(s, 1L, Long::sum);
                  if (s < r.okLow() || s > r.okHigh()) {
                    errors++;
                    if (firstError == null) {
                      firstError =
                          r.method()
                              + " "
                              + r.uri()
                              + " -> "
                              + s
                              + " "
                              + truncate(ar.result().body().toString());
                    }
                  }
                } else {
                  errors++;
                  statuses.merge(-1, 1L, Long::sum);
                  if (firstError == null) {
                    firstError = r.method() + " " + r.uri() + " -> " + ar.cause();
                  }
                }
                afterCompletion(end);
              });
    }

    abstract void afterCompletion(long now);

    void finishIfDrained(long now) {
      if (completed == issued && !mayIssue(now)) {
        double secs = (lastCompletion - started) / 1e9;
        done.tryComplete(new Result(completed, errors, secs, hist, statuses, firstError, 0));
      }
    }
  }

  private static final class ClosedLoop extends Run {
    ClosedLoop(HttpClientAgent client, Spec spec, LongFunction<Req> source, Promise<Result> done) {
      super(client, spec, source, done);
    }

    void start() {
      started = System.nanoTime();
      lastCompletion = started;
      deadline = started + spec.maxDuration().toNanos();
      for (int c = 0; c < spec.connections() && mayIssue(started); c++) {
        send(System.nanoTime());
      }
      finishIfDrained(started);
    }

    @Override
    void afterCompletion(long now) {
      if (mayIssue(now)) {
        send(now);
      } else {
        finishIfDrained(now);
      }
    }
  }

  private static final class OpenLoop extends Run {
    private final Vertx vertx;
    private final double intervalNanos;
    private long timer;

    OpenLoop(
        Vertx vertx,
        HttpClientAgent client,
        Spec spec,
        LongFunction<Req> source,
        Promise<Result> done) {
      super(client, spec, source, done);
      this.vertx = vertx;
      this.intervalNanos = 1e9 / spec.rate();
    }

    void start() {
      started = System.nanoTime();
      lastCompletion = started;
      deadline = started + spec.maxDuration().toNanos();
      timer = vertx.setPeriodic(1, id -> tick());
      tick();
    }

    private void tick() {
      long now = System.nanoTime();
      while (mayIssue(now)) {
        long due = started + (long) (issued * intervalNanos);
        if (due > now) {
          break;
        }
        send(due);
      }
      if (!mayIssue(now)) {
        vertx.cancelTimer(timer);
        finishIfDrained(now);
      }
    }

    @Override
    void afterCompletion(long now) {
      finishIfDrained(now);
    }
  }

  private static String truncate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
