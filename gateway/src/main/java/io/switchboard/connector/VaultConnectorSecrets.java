package io.switchboard.connector;

import io.switchboard.session.SessionUnavailableException;
import io.switchboard.session.TenantSessionRef;
import io.switchboard.vault.VaultSessionStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Connector credentials in the customer's own Vault, beside the tenant's scimsession: the secret
 * {@code <mount>/<folder of the session path>/connector} (for the default layout {@code
 * secret/switchboard/<slug>/connector}), one field {@code connector} holding the document's JSON.
 * Revoking the gateway's Vault role takes the credentials away with the keys.
 *
 * <p>The tenant's Vault policy must allow create, read and update on that path's data, and delete
 * on its metadata for switching back to SCIM push.
 */
public final class VaultConnectorSecrets implements ConnectorSecrets {
  static final String NAME = "connector";
  static final String FIELD = "connector";

  private final VaultSessionStore vault;

  public VaultConnectorSecrets(VaultSessionStore vault) {
    this.vault = vault;
  }

  @Override
  public Future<Optional<JsonObject>> read(TenantSessionRef ref) {
    return vault
        .readBeside(ref, NAME, FIELD)
        .map(found -> found.map(JsonObject::new))
        .recover(VaultConnectorSecrets::unavailable);
  }

  @Override
  public Future<Void> write(TenantSessionRef ref, JsonObject document) {
    return vault
        .writeBeside(ref, NAME, FIELD, document.encode())
        .recover(VaultConnectorSecrets::unavailable);
  }

  @Override
  public Future<Void> delete(TenantSessionRef ref) {
    return vault.deleteBeside(ref, NAME).recover(VaultConnectorSecrets::unavailable);
  }

  private static <T> Future<T> unavailable(Throwable e) {
    if (e instanceof SessionUnavailableException) {
      // the message names the step and the path, never a secret (see VaultSessionStore)
      return Future.failedFuture(
          new ConnectorException(
              ConnectorException.SECRETS_UNAVAILABLE,
              "The organisation's Vault refused or failed the connector secret: "
                  + e.getMessage()));
    }
    return Future.failedFuture(e);
  }
}
