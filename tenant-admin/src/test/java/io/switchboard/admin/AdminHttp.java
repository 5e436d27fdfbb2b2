package io.switchboard.admin;

import io.switchboard.testkit.ScimClient;

/**
 * Real HTTP to tenant-admin with an operator key, JSON in and out: {@code admin.post(path, json)}.
 */
public final class AdminHttp {
  private final ScimClient http;

  public AdminHttp(String adminUrl, String key) {
    this.http = new ScimClient(adminUrl + "/admin/v1", key);
  }

  public ScimClient.Response get(String path) {
    return http.get(path);
  }

  public ScimClient.Response delete(String path) {
    return http.delete(path);
  }

  public ScimClient.Response post(String path, String json) {
    return http.send("POST", path, json, json == null ? null : "application/json");
  }

  public ScimClient.Response patch(String path, String json) {
    return http.send("PATCH", path, json, "application/json");
  }

  public ScimClient.Response send(String method, String path, String body, String contentType) {
    return http.send(method, path, body, contentType);
  }
}
