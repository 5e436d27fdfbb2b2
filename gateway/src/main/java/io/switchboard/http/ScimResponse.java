package io.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.scim.ScimJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** A SCIM response: status, optional JSON body, and the headers RFC 7644 asks for. */
public record ScimResponse(int status, JsonNode body, String location, String etag) {

  public static ScimResponse ok(JsonNode body) {
    return new ScimResponse(200, body, null, null);
  }

  public static ScimResponse noContent() {
    return new ScimResponse(204, null, null, null);
  }

  void write(RoutingContext ctx) {
    HttpServerResponse response = ctx.response().setStatusCode(status);
    if (location != null) {
      // RFC 7644 §3.1 Location on 201; Content-Location on other responses about one resource
      response.putHeader(status == 201 ? "Location" : "Content-Location", location);
    }
    if (etag != null) {
      response.putHeader("ETag", etag);
    }
    if (body == null) {
      response.end();
      return;
    }
    response.putHeader("Content-Type", ScimMediaType.SCIM_JSON);
    response.end(Buffer.buffer(ScimJson.write(body)));
  }
}
