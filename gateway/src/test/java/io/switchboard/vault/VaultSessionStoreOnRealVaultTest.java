package io.switchboard.vault;

import io.switchboard.testkit.vault.RealVaultBackend;
import io.switchboard.testkit.vault.VaultBackend;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The store contract against a real Vault in a container; skipped where Docker is absent. */
@Testcontainers(disabledWithoutDocker = true)
@DisplayName("Vault session store against a real Vault (Testcontainers; needs Docker)")
class VaultSessionStoreOnRealVaultTest extends VaultSessionStoreContract {

  @Override
  protected VaultBackend startBackend(Vertx vertx) {
    return RealVaultBackend.start();
  }
}
