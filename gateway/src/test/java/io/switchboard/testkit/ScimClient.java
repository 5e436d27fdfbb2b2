package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plain synchronous HTTP client for tests: real HTTP to the gateway, JSON in and out, every
 * header of the request settable. Tests read top to bottom: {@code var r = scim.post("/Users",
 * json); assertThat(r.status()).isEqualTo(201);}
 */
public final class ScimClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String baseUrl;
  private final Map<String, String> headers = new LinkedHashMap<>();

  public ScimClient(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A copy sending another header on every request (e.g. a User-Agent, or none at all). */
  public ScimClient withHeader(String name, String value) {
    ScimClient copy = new ScimClient(baseUrl, null);
    copy.headers.putAll(headers);
    if (value == null) {
      copy.headers.remove(name);
    } else {
      copy.headers.put(name, value);
    }
    return copy;
  }

  /** A response: status, headers and the body parsed as JSON (MissingNode when empty). */
  public record Response(int status, java.net.http.HttpHeaders headers, String raw, JsonNode body) {
    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, String json) {
    return send("POST", path, json, "application/scim+json");
  }

  public Response put(String path, String json) {
    return send("PUT", path, json, "application/scim+json");
  }

  public Response patch(String path, String json) {
    return send("PATCH", path, json, "application/scim+json");
  }

  public Response post(String path, Object json) {
    return post(path, write(json));
  }

  public Response put(String path, Object json) {
    return put(path, write(json));
  }

  public Response patch(String path, Object json) {
    return patch(path, write(json));
  }

  /** Any method, path (with query), body and content type; extra headers as name, value pairs. */
  public Response send(
      String method, String path, String body, String contentType, String... extraHeaders) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
    headers.forEach(b::header);
    for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
      b.header(extraHeaders[i], extraHeaders[i + 1]);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode parsed = MissingNode.getInstance();
      if (r.body() != null && !r.body().isBlank()) {
        try {
          parsed = MAPPER.readTree(r.body());
        } catch (IOException notJson) {
          parsed = MissingNode.getInstance();
        }
      }
      return new Response(r.statusCode(), r.headers(), r.body(), parsed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String q(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String write(Object json) {
    try {
      return json instanceof String s ? s : MAPPER.writeValueAsString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
