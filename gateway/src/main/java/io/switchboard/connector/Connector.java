package io.switchboard.connector;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A pull connector: reads a tenant's people and groups from an identity provider's own API. The
 * diff against the directory and its application are the same for every connector ({@link
 * DirectorySync}); a connector only knows its source.
 *
 * <p>{@code document} is the tenant's connector document from {@link ConnectorSecrets}: it holds
 * credentials, so implementations never log it or put any part of it in an error message.
 */
public interface Connector {
  SourceKind kind();

  /** Checks a document before it is stored: shape and key format, no network. */
  void validate(JsonObject document);

  /** A copy of the document safe to show an operator: no key material, no secret. */
  JsonObject describe(JsonObject document);

  /** Reads everything in scope. Fails with a {@link ConnectorException}. */
  Future<SourceSnapshot> fetch(String tenantKey, JsonObject document);

  /** Runs each step of a connection precisely (key, token, scopes, subject, groups). */
  Future<ConnectionCheck> test(String tenantKey, JsonObject document);
}
