package io.switchboard.http;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request id per request: the caller's {@code X-Request-Id} when it is a safe token, otherwise a
 * fresh one. It is echoed in the response and carried by every log line of the request.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "switchboard.requestId";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

  private RequestIds() {}

  public static void assign(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id =
        incoming != null && SAFE.matcher(incoming).matches()
            ? incoming
            : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
