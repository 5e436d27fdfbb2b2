package io.switchboard.connector.google;

import io.switchboard.connector.ConnectorException;
import io.switchboard.connector.SourceKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's Google Workspace connector document, as kept in its secrets store:
 *
 * <pre>{@code
 * {"kind": "google-workspace",
 *  "serviceAccountKey": { ...the JSON key file... },
 *  "adminSubject": "admin@example.com",      // the administrator the service account acts as
 *  "customerId": "my_customer",              // or "domain": "example.com"
 *  "groups": ["staff@example.com"]}          // empty: every user of the customer, no groups
 * }</pre>
 */
public record GoogleWorkspaceSettings(
    ServiceAccountKey key,
    String adminSubject,
    String customerId,
    String domain,
    List<String> groups) {

  public static GoogleWorkspaceSettings parse(JsonObject doc) {
    if (doc == null) {
      throw settings("No connector settings are stored for this organisation.");
    }
    if (!SourceKind.GOOGLE_WORKSPACE.wireName().equals(doc.getValue("kind"))) {
      throw settings("The stored connector document is not a google-workspace one.");
    }
    Object subject = doc.getValue("adminSubject");
    if (!(subject instanceof String s) || !s.contains("@") || s.length() > 320) {
      throw settings("adminSubject must be the email address of a Workspace administrator.");
    }
    String customer = doc.getValue("customerId") instanceof String c && !c.isBlank() ? c : null;
    String domain = doc.getValue("domain") instanceof String d && !d.isBlank() ? d : null;
    if (customer == null && domain == null) {
      customer = "my_customer";
    }
    List<String> groups = new ArrayList<>();
    Object g = doc.getValue("groups");
    if (g != null && !(g instanceof JsonArray)) {
      throw settings("groups must be a list of group email addresses or ids.");
    }
    if (g instanceof JsonArray arr) {
      for (Object o : arr) {
        if (!(o instanceof String key) || key.isBlank() || key.length() > 320) {
          throw settings("groups must be a list of group email addresses or ids.");
        }
        if (!groups.contains(key.strip())) {
          groups.add(key.strip());
        }
      }
    }
    if (groups.size() > 1000) {
      throw settings("At most 1000 groups can be selected.");
    }
    ServiceAccountKey key = ServiceAccountKey.parse(doc.getValue("serviceAccountKey"));
    return new GoogleWorkspaceSettings(
        key, (String) subject, customer, domain, List.copyOf(groups));
  }

  /** What an operator may see back: everything but the key material. */
  public static JsonObject describe(JsonObject doc) {
    JsonObject out = new JsonObject().put("kind", doc.getValue("kind"));
    JsonObject key = doc.getValue("serviceAccountKey") instanceof JsonObject k ? k : null;
    if (key != null) {
      out.put(
          "serviceAccount",
          new JsonObject()
              .put("clientEmail", key.getValue("client_email"))
              .put("clientId", key.getValue("client_id"))
              .put("privateKeyId", key.getValue("private_key_id")));
    }
    for (String f : List.of("adminSubject", "customerId", "domain", "groups")) {
      if (doc.getValue(f) != null) {
        out.put(f, doc.getValue(f));
      }
    }
    return out;
  }

  private static ConnectorException settings(String message) {
    return new ConnectorException(ConnectorException.SETTINGS, message);
  }

  @Override
  public String toString() {
    return "GoogleWorkspaceSettings[key=" + key + ", groups=" + groups.size() + "]";
  }
}
