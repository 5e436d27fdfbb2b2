package io.switchboard.connector;

import io.switchboard.session.TenantSessionRef;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Where a tenant's connector credentials and settings live: beside its scimsession, in the same
 * store the {@link TenantSessionRef} names (the customer's Vault in production, a local directory
 * in dev and tests), never in the operator's database. The stored document is {@code {"kind":
 * "google-workspace", ...}}; its shape belongs to the connector of that kind.
 *
 * <p>Usage: {@code secrets.read(ref).compose(found -> ...)}.
 */
public interface ConnectorSecrets {

  /** The tenant's connector document, or empty when none was ever set. */
  Future<Optional<JsonObject>> read(TenantSessionRef ref);

  /** Replaces the tenant's connector document. */
  Future<Void> write(TenantSessionRef ref, JsonObject document);

  /** Removes it (switching back to SCIM push, or deleting the tenant); succeeds if absent. */
  Future<Void> delete(TenantSessionRef ref);

  /**
   * Routes each tenant to the store its ref names, as {@code SessionStores} does for sessions;
   * {@code vault} may be null while the gateway has no Vault store configured.
   */
  static ConnectorSecrets routing(ConnectorSecrets local, ConnectorSecrets vault) {
    return new ConnectorSecrets() {
      private ConnectorSecrets storeFor(TenantSessionRef ref) {
        ConnectorSecrets store =
            switch (ref.store()) {
              case TenantSessionRef.LOCAL -> local;
              case TenantSessionRef.VAULT -> vault;
              default -> null;
            };
        if (store == null) {
          throw new ConnectorException(
              ConnectorException.SECRETS_UNAVAILABLE,
              "The organisation's key store ("
                  + ref.store()
                  + ") is not configured on this instance for connector credentials.");
        }
        return store;
      }

      @Override
      public Future<Optional<JsonObject>> read(TenantSessionRef ref) {
        try {
          return storeFor(ref).read(ref);
        } catch (ConnectorException e) {
          return Future.failedFuture(e);
        }
      }

      @Override
      public Future<Void> write(TenantSessionRef ref, JsonObject document) {
        try {
          return storeFor(ref).write(ref, document);
        } catch (ConnectorException e) {
          return Future.failedFuture(e);
        }
      }

      @Override
      public Future<Void> delete(TenantSessionRef ref) {
        try {
          return storeFor(ref).delete(ref);
        } catch (ConnectorException e) {
          return Future.failedFuture(e);
        }
      }
    };
  }
}
