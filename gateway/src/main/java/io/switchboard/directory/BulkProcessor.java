package io.switchboard.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.switchboard.http.ScimRequest;
import io.switchboard.http.ScimResponse;
import io.switchboard.scim.ScimException;
import io.switchboard.scim.ScimJson;
import io.switchboard.scim.ScimType;
import io.switchboard.scim.ServiceLimits;
import io.switchboard.scim.schema.ResourceType;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * RFC 7644 §3.7 bulk requests: operations run one after another, each exactly as the equivalent
 * single request would (same validation, same transaction per operation), with {@code bulkId}
 * references resolved to the ids created earlier in the same request, in any order the references
 * allow. {@code failOnErrors} stops processing after that many errors.
 *
 * <p>Usage: {@code bulk.process(request, body)}.
 */
public final class BulkProcessor {
  static final String REQUEST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
  static final String RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";
  private static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
  private static final String REF = "bulkId:";

  private final Directory directory;
  private final ServiceLimits limits;

  public BulkProcessor(Directory directory, ServiceLimits limits) {
    this.directory = directory;
    this.limits = limits;
  }

  private record Op(
      int index, String method, String path, String bulkId, String version, JsonNode data) {}

  public Future<ScimResponse> process(ScimRequest req, JsonNode body) {
    if (!body.isObject()) {
      throw ScimException.invalidSyntax("A BulkRequest must be a JSON object.");
    }
    JsonNode operations = field(body, "Operations");
    if (operations == null || !operations.isArray()) {
      throw ScimException.invalidSyntax("A BulkRequest needs an \"Operations\" array.");
    }
    if (operations.size() > limits.bulkMaxOperations()) {
      // RFC 7644 §3.7.4
      throw ScimException.payloadTooLarge(
          "The bulk request has "
              + operations.size()
              + " operations; maxOperations is "
              + limits.bulkMaxOperations()
              + ".");
    }
    JsonNode fail = field(body, "failOnErrors");
    int failOnErrors = Integer.MAX_VALUE;
    if (fail != null && !fail.isNull()) {
      if (!fail.canConvertToInt() || fail.asInt() < 1) {
        throw ScimException.invalidValue("failOnErrors must be a positive integer.");
      }
      failOnErrors = fail.asInt();
    }
    List<Op> ops = new ArrayList<>();
    Set<String> bulkIds = new HashSet<>();
    for (int i = 0; i < operations.size(); i++) {
      JsonNode o = operations.get(i);
      if (!o.isObject()) {
        throw ScimException.invalidSyntax("Operations[" + i + "] must be an object.");
      }
      String method = text(o, "method");
      String path = text(o, "path");
      if (method == null || path == null) {
        throw ScimException.invalidSyntax("Operations[" + i + "] needs \"method\" and \"path\".");
      }
      String bulkId = text(o, "bulkId");
      method = method.toUpperCase(Locale.ROOT);
      if (method.equals("POST")) {
        if (bulkId == null || bulkId.isEmpty()) {
          throw ScimException.invalidValue("Operations[" + i + "]: a POST needs a bulkId.");
        }
        if (!bulkIds.add(bulkId)) {
          throw ScimException.invalidValue(
              "bulkId '" + Directory.shorten(bulkId) + "' is used twice.");
        }
      }
      ops.add(new Op(i, method, path, bulkId, text(o, "version"), field(o, "data")));
    }
    State state = new State(ops.size(), failOnErrors);
    return runPasses(req, ops, state)
        .map(
            v -> {
              ObjectNode out = ScimJson.object();
              out.putArray("schemas").add(RESPONSE_SCHEMA);
              ArrayNode results = out.putArray("Operations");
              for (ObjectNode r : state.results) {
                if (r != null) {
                  results.add(r);
                }
              }
              return ScimResponse.ok(out);
            });
  }

  private static final class State {
    final ObjectNode[] results;
    final Map<String, String> resolved = new HashMap<>();
    final Set<String> failedBulkIds = new HashSet<>();
    final int failOnErrors;
    int errors;

    State(int size, int failOnErrors) {
      this.results = new ObjectNode[size];
      this.failOnErrors = failOnErrors;
    }

    boolean stopped() {
      return errors >= failOnErrors;
    }
  }

  /** Runs every operation whose references are resolved; repeats while that makes progress. */
  private Future<Void> runPasses(ScimRequest req, List<Op> pending, State state) {
    if (pending.isEmpty() || state.stopped()) {
      return Future.succeededFuture();
    }
    List<Op> ready = new ArrayList<>();
    List<Op> waiting = new ArrayList<>();
    for (Op op : pending) {
      Set<String> refs = new HashSet<>();
      collectRefs(op.path(), refs);
      collectRefs(op.data(), refs);
      refs.removeAll(state.resolved.keySet());
      boolean failedDependency = refs.stream().anyMatch(state.failedBulkIds::contains);
      if (refs.isEmpty() || failedDependency) {
        ready.add(op);
      } else {
        waiting.add(op);
      }
    }
    if (ready.isEmpty()) {
      // circular or dangling references (RFC 7644 §3.7.1): each remaining operation fails
      for (Op op : waiting) {
        record(
            state,
            op,
            ScimException.invalidValue(
                "A bulkId this operation refers to is never created in this request, or the"
                    + " references are circular."));
      }
      return Future.succeededFuture();
    }
    Future<Void> chain = Future.succeededFuture();
    for (Op op : ready) {
      chain =
          chain.compose(v -> state.stopped() ? Future.succeededFuture() : runOne(req, op, state));
    }
    return chain.compose(v -> runPasses(req, waiting, state));
  }

  private Future<Void> runOne(ScimRequest req, Op op, State state) {
    Future<ScimResponse> result;
    try {
      Set<String> refs = new HashSet<>();
      collectRefs(op.path(), refs);
      collectRefs(op.data(), refs);
      for (String ref : refs) {
        if (state.failedBulkIds.contains(ref)) {
          throw new ScimException(
              409,
              ScimType.INVALID_VALUE,
              "The operation with bulkId '" + Directory.shorten(ref) + "' failed.");
        }
      }
      String path = resolve(TextNode.valueOf(op.path()), state.resolved).asText();
      JsonNode data = op.data() == null ? null : resolve(op.data().deepCopy(), state.resolved);
      ScimRequest single =
          new ScimRequest(
              req.tenant(), req.requestId(), req.baseUrl(), op.version(), null, Map.of());
      result = dispatch(single, op.method(), path, data);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.transform(
        ar -> {
          if (ar.succeeded()) {
            ScimResponse r = ar.result();
            ObjectNode entry = entry(op, r.status());
            if (r.location() != null) {
              entry.put("location", r.location());
            }
            if (r.etag() != null) {
              entry.put("version", r.etag());
            }
            if (op.method().equals("POST") && r.body() != null && r.body().has("id")) {
              state.resolved.put(op.bulkId(), r.body().get("id").asText());
            }
            state.results[op.index()] = entry;
          } else if (ar.cause() instanceof ScimException e) {
            record(state, op, e);
          } else {
            return Future.failedFuture(ar.cause());
          }
          return Future.succeededFuture();
        });
  }

  private static void record(State state, Op op, ScimException e) {
    ObjectNode entry = entry(op, e.status());
    ObjectNode response = entry.putObject("response");
    response.putArray("schemas").add(ERROR_SCHEMA);
    response.put("status", Integer.toString(e.status()));
    if (e.scimType() != null) {
      response.put("scimType", e.scimType().keyword());
    }
    response.put("detail", e.detail());
    state.results[op.index()] = entry;
    state.errors++;
    if (op.bulkId() != null) {
      state.failedBulkIds.add(op.bulkId());
    }
  }

  private static ObjectNode entry(Op op, int status) {
    ObjectNode entry = ScimJson.object();
    entry.put("method", op.method());
    if (op.bulkId() != null) {
      entry.put("bulkId", op.bulkId());
    }
    entry.put("status", Integer.toString(status));
    return entry;
  }

  private Future<ScimResponse> dispatch(
      ScimRequest req, String method, String path, JsonNode data) {
    String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
    ResourceType type = typeOf(parts[0]);
    if (type == null || parts.length > 2 || (parts.length == 2 && parts[1].isEmpty())) {
      throw ScimException.invalidPath(
          "Bulk path '" + Directory.shorten(path) + "' is not /Users or /Groups[/id].");
    }
    String id = parts.length == 2 ? parts[1] : null;
    switch (method) {
      case "POST":
        if (id != null) {
          throw ScimException.invalidPath("POST goes to /Users or /Groups, without an id.");
        }
        return directory.create(req, type, requireData(data));
      case "PUT":
        return directory.replace(req, type, requireId(id), requireData(data));
      case "PATCH":
        return directory.patch(req, type, requireId(id), requireData(data));
      case "DELETE":
        return directory.delete(req, type, requireId(id));
      default:
        throw ScimException.invalidValue(
            "Bulk method '" + Directory.shorten(method) + "' is not supported.");
    }
  }

  private static ResourceType typeOf(String segment) {
    if (segment.equalsIgnoreCase("Users")) {
      return ResourceType.USER;
    }
    if (segment.equalsIgnoreCase("Groups")) {
      return ResourceType.GROUP;
    }
    return null;
  }

  private static String requireId(String id) {
    if (id == null) {
      throw ScimException.invalidPath("This method needs a resource id in the path.");
    }
    return id;
  }

  private static JsonNode requireData(JsonNode data) {
    if (data == null || !data.isObject()) {
      throw ScimException.invalidSyntax("This operation needs a \"data\" object.");
    }
    return data;
  }

  private static void collectRefs(Object node, Set<String> out) {
    if (node instanceof String s) {
      int at = s.indexOf(REF);
      if (at >= 0) {
        out.add(s.substring(at + REF.length()));
      }
    } else if (node instanceof JsonNode json) {
      if (json.isTextual()) {
        collectRefs(json.asText(), out);
      } else if (json.isContainerNode()) {
        for (JsonNode child : json) {
          collectRefs(child, out);
        }
      }
    }
  }

  private static JsonNode resolve(JsonNode node, Map<String, String> resolved) {
    if (node.isTextual()) {
      String s = node.asText();
      int at = s.indexOf(REF);
      if (at >= 0) {
        String id = resolved.get(s.substring(at + REF.length()));
        if (id != null) {
          return TextNode.valueOf(s.substring(0, at) + id);
        }
      }
      return node;
    }
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(resolve(e.getValue(), resolved));
      }
    } else if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = 0; i < a.size(); i++) {
        a.set(i, resolve(a.get(i), resolved));
      }
    }
    return node;
  }

  private static JsonNode field(JsonNode o, String name) {
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String text(JsonNode o, String name) {
    JsonNode v = field(o, name);
    return v == null || v.isNull() ? null : v.asText();
  }
}
