package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Connection options shared by the commands that call tenant-admin: {@code --admin-url} and {@code
 * --admin-token}, else {@code SWITCHBOARD_ADMIN_URL} / {@code SWITCHBOARD_ADMIN_TOKEN}, else the
 * values {@code switchboard dev} saved in {@code .switchboard/dev.env}.
 */
final class AdminClient {
  @Option(names = "--admin-url", description = "Tenant-admin base URL (env SWITCHBOARD_ADMIN_URL).")
  String adminUrl;

  @Option(names = "--admin-token", description = "Operator key (env SWITCHBOARD_ADMIN_TOKEN).")
  String adminToken;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  boolean json() {
    if (!"json".equals(output) && !"table".equals(output)) {
      throw new CliException(SwitchboardCli.USAGE, "--output must be table or json");
    }
    return "json".equals(output);
  }

  /** One API response: status and JSON body. */
  record Response(int status, JsonObject body) {}

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, JsonObject body) {
    return send("POST", path, body);
  }

  Response put(String path, JsonObject body) {
    return send("PUT", path, body);
  }

  Response patch(String path, JsonObject body) {
    return send("PATCH", path, body);
  }

  Response delete(String path) {
    return send("DELETE", path, null);
  }

  /** Sends a request; maps transport and auth failures to exit codes; returns 2xx responses. */
  Response send(String method, String path, JsonObject body) {
    Map<String, String> devEnv =
        DevEnv.read(
            Path.of(System.getenv().getOrDefault("SWITCHBOARD_DATA_DIR", ".switchboard"))
                .resolve("dev.env"));
    String url =
        first(
            adminUrl, System.getenv("SWITCHBOARD_ADMIN_URL"), devEnv.get("SWITCHBOARD_ADMIN_URL"));
    String token =
        first(
            adminToken,
            System.getenv("SWITCHBOARD_ADMIN_TOKEN"),
            devEnv.get("SWITCHBOARD_ADMIN_TOKEN"));
    if (url == null) {
      throw new CliException(
          SwitchboardCli.USAGE,
          "no tenant-admin URL: pass --admin-url or set SWITCHBOARD_ADMIN_URL");
    }
    if (token == null) {
      throw new CliException(
          SwitchboardCli.USAGE,
          "no operator key: pass --admin-token or set SWITCHBOARD_ADMIN_TOKEN");
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(base + "/admin/v1" + path))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (body != null) {
      req.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliException(
          SwitchboardCli.UNREACHABLE, "cannot reach tenant-admin at " + base + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(SwitchboardCli.UNREACHABLE, "interrupted");
    }
    JsonObject json = r.body() == null || r.body().isBlank() ? new JsonObject() : parse(r.body());
    if (r.statusCode() == 401 || r.statusCode() == 403) {
      throw new CliException(SwitchboardCli.UNREACHABLE, message(json, r.statusCode()));
    }
    if (r.statusCode() >= 400) {
      throw new CliException(SwitchboardCli.FAILED, message(json, r.statusCode()));
    }
    return new Response(r.statusCode(), json);
  }

  static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static JsonObject parse(String body) {
    try {
      return new JsonObject(body);
    } catch (RuntimeException e) {
      return new JsonObject().put("raw", body);
    }
  }

  private static String message(JsonObject json, int status) {
    JsonObject error = json.getJsonObject("error");
    return error == null
        ? "tenant-admin answered " + status
        : error.getString("message") + " (" + error.getString("code") + ", " + status + ")";
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }
}
