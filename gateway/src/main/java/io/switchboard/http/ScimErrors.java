package io.switchboard.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.DataCipher;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become SCIM error responses (RFC 7644 §3.12): {@code schemas},
 * {@code status} as a string, {@code detail}, {@code scimType} where the RFC defines one. Bad input
 * is a 4xx with a precise detail; an unavailable dependency is a 503 with {@code Retry-After};
 * anything else is a 500 whose detail names only the request id. No stack trace or internal message
 * ever reaches the client.
 */
public final class ScimErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ScimErrors.class);
  public static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
  private static final Duration DB_RETRY_AFTER = Duration.ofSeconds(2);
  private static final Duration KEY_RETRY_AFTER = Duration.ofSeconds(1);

  private ScimErrors() {}

  /** Router failure handler: maps {@code ctx.failure()} or {@code ctx.statusCode()}. */
  public static void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    write(ctx, toScim(ctx));
  }

  static ScimException toScim(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof ScimException e) {
      return e;
    }
    if (failure instanceof HttpException http) {
      return forStatus(http.getStatusCode());
    }
    if (failure == null) {
      return forStatus(ctx.statusCode());
    }
    if (isDatabaseUnavailable(failure)) {
      LOG.warn(
          "request {} failed: database unavailable ({})",
          RequestIds.of(ctx),
          failure.getClass().getSimpleName());
      return ScimException.unavailable(
          "The directory database is unavailable; retry later.", DB_RETRY_AFTER);
    }
    if (failure instanceof DataCipher.UnknownKeyVersionException) {
      // the tenant's key changed since its session was cached here; GatewayVerticle dropped the
      // cached session, so the retry reads it afresh
      LOG.warn("request {}: {}; session reloaded", RequestIds.of(ctx), failure.getMessage());
      return ScimException.unavailable(
          "This organisation's keys are being rotated; retry.", KEY_RETRY_AFTER);
    }
    if (failure instanceof DataCipher.CorruptCiphertextException) {
      LOG.error(
          "request {}: a stored record failed to authenticate ({})",
          RequestIds.of(ctx),
          failure.getMessage());
      return new ScimException(
          500, null, "A stored record could not be read. Request id: " + RequestIds.of(ctx));
    }
    LOG.error("request {} failed unexpectedly", RequestIds.of(ctx), failure);
    return new ScimException(500, null, "Internal error. Request id: " + RequestIds.of(ctx));
  }

  static boolean isDatabaseUnavailable(Throwable t) {
    Throwable c = t;
    for (int i = 0; c != null && i < 8; i++, c = c.getCause()) {
      if (c instanceof ClosedConnectionException
          || c instanceof ConnectException
          // a connection the server dropped: "Broken pipe", "Connection reset", closed channel
          // (but never a JSON parse error, which is also an IOException and is the client's)
          || (c instanceof java.io.IOException
              && !(c instanceof com.fasterxml.jackson.core.JacksonException))
          || c instanceof TimeoutException
          || c instanceof io.netty.channel.ConnectTimeoutException
          || (c instanceof io.vertx.core.VertxException v
              && v.getMessage() != null
              && (v.getMessage().contains("Connection") || v.getMessage().contains("timeout")))) {
        return true;
      }
      if (c instanceof PgException pg && pg.getSqlState() != null) {
        String state = pg.getSqlState();
        // 08: connection exception, 57P: operator intervention (shutdown), 53: resources
        if (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53")) {
          return true;
        }
      }
    }
    return false;
  }

  static ScimException forStatus(int status) {
    return switch (status) {
      case 400 -> ScimException.invalidSyntax("The request is malformed.");
      case 401 -> ScimException.unauthorized("Authentication is required.");
      case 403 -> ScimException.forbidden("This operation is not permitted.");
      case 404 -> ScimException.notFound("No such endpoint.");
      case 405 -> ScimException.methodNotAllowed("This method is not allowed on this endpoint.");
      case 406 -> new ScimException(406, null, "Only application/scim+json can be returned.");
      case 413 ->
          ScimException.payloadTooLarge("The request body is larger than this server accepts.");
      case 415 ->
          ScimException.unsupportedMediaType(
              "The request body must be application/scim+json or application/json.");
      case 431 ->
          new ScimException(431, null, "The request headers are larger than this server accepts.");
      default ->
          status >= 400 && status < 600
              ? new ScimException(status, null, "The request could not be processed.")
              : new ScimException(500, null, "Internal error.");
    };
  }

  public static void write(RoutingContext ctx, ScimException e) {
    ObjectNode body = ScimJson.object();
    ArrayNode schemas = body.putArray("schemas");
    schemas.add(ERROR_SCHEMA);
    body.put("status", Integer.toString(e.status()));
    if (e.scimType() != null) {
      body.put("scimType", e.scimType().keyword());
    }
    body.put("detail", e.detail());
    HttpServerResponse response = ctx.response();
    response.setStatusCode(e.status());
    response.putHeader("Content-Type", ScimMediaType.SCIM_JSON);
    if (e.retryAfter() != null) {
      response.putHeader("Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
    }
    if (e.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"switchboard\"");
    }
    response.end(io.vertx.core.buffer.Buffer.buffer(ScimJson.write(body)));
  }
}
