package io.switchboard.connector.google;

import io.switchboard.connector.ConnectorException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The Admin SDK Directory API calls the connector makes ({@code users.list}, {@code groups.get},
 * {@code members.list}), for one tenant and one sync: {@code pageToken} paging with the largest
 * page each method allows, HTTP 429 and 5xx retried with exponential backoff and jitter that
 * honours {@code Retry-After}, and one fresh access token on a 401 (expired token).
 *
 * <p>Usage: {@code client.listAll("/users", Map.of("customer", "my_customer"), "users", 500)}.
 */
public final class GoogleDirectoryClient {
  static final String ROOT = "/admin/directory/v1";
  public static final int USERS_PAGE = 500;
  public static final int MEMBERS_PAGE = 200;

  /** An access token for this client's tenant; {@code fresh} skips the cache. */
  public interface Tokens {
    Future<String> get(boolean fresh);
  }

  /** The resource the request named does not exist (HTTP 404). */
  public static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound() {
      super("not found", null, false, false);
    }
  }

  private final Vertx vertx;
  private final WebClient http;
  private final GoogleEndpoints endpoints;
  private final Tokens tokens;

  public GoogleDirectoryClient(
      Vertx vertx, WebClient http, GoogleEndpoints endpoints, Tokens tokens) {
    this.vertx = vertx;
    this.http = http;
    this.endpoints = endpoints;
    this.tokens = tokens;
  }

  /** Every item of a list method, page after page. */
  public Future<List<JsonObject>> listAll(
      String path, Map<String, String> query, String itemsField, int pageSize) {
    List<JsonObject> out = new ArrayList<>();
    return page(path, query, itemsField, pageSize, null, out, Integer.MAX_VALUE).map(out);
  }

  /** At most {@code limit} items (the first page or pages): for "test". */
  public Future<List<JsonObject>> listSome(
      String path, Map<String, String> query, String itemsField, int limit) {
    List<JsonObject> out = new ArrayList<>();
    return page(path, query, itemsField, limit, null, out, limit).map(out);
  }

  public Future<JsonObject> get(String path) {
    return send(() -> http.getAbs(endpoints.directoryUrl() + ROOT + path), 1, false);
  }

  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private Future<Void> page(
      String path,
      Map<String, String> query,
      String itemsField,
      int pageSize,
      String pageToken,
      List<JsonObject> out,
      int limit) {
    Supplier<HttpRequest<Buffer>> request =
        () -> {
          HttpRequest<Buffer> r = http.getAbs(endpoints.directoryUrl() + ROOT + path);
          query.forEach(r::addQueryParam);
          r.addQueryParam("maxResults", Integer.toString(pageSize));
          if (pageToken != null) {
            r.addQueryParam("pageToken", pageToken);
          }
          return r;
        };
    return send(request, 1, false)
        .compose(
            body -> {
              JsonArray items = body.getJsonArray(itemsField, new JsonArray());
              for (Object o : items) {
                if (o instanceof JsonObject j && out.size() < limit) {
                  out.add(j);
                }
              }
              String next = body.getString("nextPageToken");
              if (next == null || next.isEmpty() || out.size() >= limit) {
                return Future.succeededFuture();
              }
              return page(path, query, itemsField, pageSize, next, out, limit);
            });
  }

  private Future<JsonObject> send(
      Supplier<HttpRequest<Buffer>> request, int attempt, boolean freshToken) {
    return tokens
        .get(freshToken)
        .compose(
            token ->
                request
                    .get()
                    .timeout(endpoints.requestTimeout().toMillis())
                    .bearerTokenAuthentication(token)
                    .putHeader("Accept", "application/json")
                    .send()
                    .transform(
                        ar -> {
                          if (ar.failed()) {
                            return retryOrFail(
                                request,
                                attempt,
                                -1,
                                "Google's Directory API cannot be reached ("
                                    + ar.cause().getClass().getSimpleName()
                                    + ")");
                          }
                          return handle(request, attempt, freshToken, ar.result());
                        }));
  }

  private Future<JsonObject> handle(
      Supplier<HttpRequest<Buffer>> request,
      int attempt,
      boolean freshToken,
      HttpResponse<Buffer> r) {
    int status = r.statusCode();
    if (status == 200) {
      try {
        return Future.succeededFuture(r.bodyAsJsonObject());
      } catch (RuntimeException e) {
        return Future.failedFuture(
            new ConnectorException(
                ConnectorException.SOURCE_UNAVAILABLE,
                "Google's Directory API answered 200 without a JSON object."));
      }
    }
    if (status == 401 && !freshToken) {
      // the access token expired or was revoked early: one new token, then as usual
      return send(request, attempt, true);
    }
    String reason = reason(r);
    boolean rateLimited =
        status == 429
            || (status == 403
                && ("rateLimitExceeded".equals(reason)
                    || "userRateLimitExceeded".equals(reason)
                    || "quotaExceeded".equals(reason)));
    if (rateLimited || status >= 500) {
      long retryAfter = retryAfterMillis(r.getHeader("Retry-After"));
      return retryOrFail(request, attempt, retryAfter, "Google's Directory API answered " + status);
    }
    if (status == 404) {
      return Future.failedFuture(new NotFound());
    }
    if (status == 401 || status == 403) {
      return Future.failedFuture(
          new ConnectorException(
              ConnectorException.DIRECTORY_FORBIDDEN,
              "Google's Directory API refused the request ("
                  + status
                  + (reason == null ? "" : " " + reason)
                  + "): the admin subject needs an administrator role that can read users and"
                  + " groups, and the customer id or domain must be this Workspace's."));
    }
    return Future.failedFuture(
        new ConnectorException(
            ConnectorException.SETTINGS,
            "Google's Directory API rejected the request ("
                + status
                + (reason == null ? "" : " " + reason)
                + "): check customerId or domain."));
  }

  private Future<JsonObject> retryOrFail(
      Supplier<HttpRequest<Buffer>> request, int attempt, long retryAfterMillis, String what) {
    if (attempt >= endpoints.maxAttempts()) {
      return Future.failedFuture(
          new ConnectorException(
              ConnectorException.SOURCE_UNAVAILABLE,
              what + " after " + attempt + " attempts; the next sync retries."));
    }
    long delay = Math.max(retryAfterMillis, backoff(attempt));
    delay = Math.min(delay, endpoints.maxDelay().toMillis());
    Promise<Void> wait = Promise.promise();
    vertx.setTimer(Math.max(1, delay), id -> wait.complete());
    return wait.future().compose(v -> send(request, attempt + 1, false));
  }

  /** Exponential with full jitter in the upper half: base·2^(n-1)·[0.5, 1). */
  private long backoff(int attempt) {
    long exp = endpoints.baseDelay().toMillis() << Math.min(attempt - 1, 20);
    long capped = Math.min(exp, endpoints.maxDelay().toMillis());
    return capped / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, capped / 2));
  }

  /** Retry-After in delta-seconds (what Google sends); an HTTP date is also accepted. */
  static long retryAfterMillis(String header) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    try {
      return Long.parseLong(header.strip()) * 1000L;
    } catch (NumberFormatException e) {
      try {
        java.time.ZonedDateTime at =
            java.time.ZonedDateTime.parse(
                header.strip(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (java.time.format.DateTimeParseException e2) {
        return -1;
      }
    }
  }

  /** {@code error.errors[0].reason} of Google's error body, if any. */
  private static String reason(HttpResponse<Buffer> r) {
    try {
      JsonObject body = r.bodyAsJsonObject();
      JsonObject error = body == null ? null : body.getJsonObject("error");
      JsonArray errors = error == null ? null : error.getJsonArray("errors");
      if (errors != null && !errors.isEmpty() && errors.getValue(0) instanceof JsonObject e) {
        return e.getString("reason");
      }
      return error == null ? null : error.getString("status");
    } catch (RuntimeException e) {
      return null;
    }
  }
}
