package io.switchboard.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * Whether this instance is shutting down. From {@link #begin()} on, {@code /ready} answers 503 so a
 * load balancer takes the instance out of rotation, {@code /health} stays 200 (the process is
 * alive), and every response carries {@code Connection: close} so a client on a kept-alive
 * connection opens its next one elsewhere. Requests are otherwise served as usual.
 *
 * <p>Usage: {@code router.route().handler(draining::closeConnections);}
 */
public final class Draining {
  private volatile boolean active;

  private Draining() {}

  public static Draining create() {
    return new Draining();
  }

  /** Starts draining; returns false when it had already started. */
  public synchronized boolean begin() {
    if (active) {
      return false;
    }
    active = true;
    return true;
  }

  public boolean active() {
    return active;
  }

  /**
   * Route handler: while draining, an HTTP/1.x response says {@code Connection: close} and the
   * connection is closed once it is sent (Vert.x keeps it open on the header alone). HTTP/2 has no
   * such header; its connections get GOAWAY when the listener shuts down.
   */
  public void closeConnections(RoutingContext ctx) {
    if (active && ctx.request().version() != HttpVersion.HTTP_2) {
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      ctx.addEndHandler(sent -> ctx.request().connection().close());
    }
    ctx.next();
  }
}
