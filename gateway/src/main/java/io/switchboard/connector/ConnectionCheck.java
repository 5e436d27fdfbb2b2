package io.switchboard.connector;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The answer to "test this connector": each step that ran, in order, and for the first that failed
 * its code and what to fix. Steps after a failure are not attempted.
 */
public record ConnectionCheck(List<Step> steps) {

  /** One step: {@code key}, {@code token}, {@code users}, {@code group:<key>}... */
  public record Step(String name, boolean ok, String code, String message) {
    public static Step passed(String name, String message) {
      return new Step(name, true, null, message);
    }

    public static Step failed(String name, ConnectorException e) {
      return new Step(name, false, e.code(), e.getMessage());
    }
  }

  public boolean ok() {
    return steps.stream().allMatch(Step::ok);
  }

  public JsonObject toJson() {
    JsonArray arr = new JsonArray();
    for (Step s : steps) {
      JsonObject j = new JsonObject().put("name", s.name()).put("ok", s.ok());
      if (s.code() != null) {
        j.put("code", s.code());
      }
      j.put("message", s.message());
      arr.add(j);
    }
    JsonObject out = new JsonObject().put("ok", ok()).put("steps", arr);
    steps.stream()
        .filter(s -> !s.ok())
        .findFirst()
        .ifPresent(s -> out.put("failedStep", s.name()).put("code", s.code()));
    return out;
  }
}
