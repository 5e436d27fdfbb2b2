package io.switchboard.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.RoutingContext;

/** Transport limits and the security headers every response carries. */
public final class HttpHardening {
  /** Large enough for any real IdP's headers; a bigger header block is 431. */
  public static final int MAX_HEADER_BYTES = 16 * 1024;

  public static final int MAX_INITIAL_LINE = 16 * 1024;

  private HttpHardening() {}

  public static HttpServerOptions serverOptions(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setMaxHeaderSize(MAX_HEADER_BYTES)
        .setMaxInitialLineLength(MAX_INITIAL_LINE)
        .setMaxFormAttributeSize(0)
        .setCompressionSupported(true)
        .setDecompressionSupported(false)
        .setIdleTimeout(120)
        .setTcpNoDelay(true);
  }

  /** First handler of every router: security headers on every response, errors included. */
  public static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }
}
