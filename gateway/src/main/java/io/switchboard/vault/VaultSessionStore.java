package io.switchboard.vault;

import io.switchboard.crypto.MasterKey;
import io.switchboard.session.ScimSession;
import io.switchboard.session.SessionCodec;
import io.switchboard.session.SessionConflictException;
import io.switchboard.session.SessionNotFoundException;
import io.switchboard.session.SessionStore;
import io.switchboard.session.SessionUnavailableException;
import io.switchboard.session.StoredSession;
import io.switchboard.session.TenantSessionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenants' scimsessions in their own HashiCorp Vault (KV v2), through the HashiCorp Vault Java
 * Driver. The secret holds one field, {@code scimsession}, the session's JSON; writes are
 * check-and-set ({@code cas} = the expected version, 0 = must not exist yet); delete removes every
 * version and the metadata (crypto-shred).
 *
 * <p>The driver blocks, so every call runs on the dedicated {@code vault-io} worker executor, never
 * on an event loop. Tokens are cached per tenant connection until shortly before their lease ends
 * and re-obtained on a 403. Failures map to the {@link SessionStore} contract: network, TLS, 5xx,
 * login or policy failures → {@link SessionUnavailableException}; 404 → {@link
 * SessionNotFoundException}; something that is not a session → {@link
 * SessionCodec.InvalidSessionException}; lost check-and-set → {@link SessionConflictException}.
 *
 * <p>Usage: {@code VaultSessionStore.create(vertx, options, masterKey, signer).read(ref)}, where
 * {@code ref.vault()} is a {@link VaultConnection#toJson()}.
 */
public final class VaultSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(VaultSessionStore.class);
  public static final String WORKER_POOL = "vault-io";

  private final WorkerExecutor executor;
  private final VaultAccess access;

  private VaultSessionStore(WorkerExecutor executor, VaultAccess access) {
    this.executor = executor;
    this.access = access;
  }

  public static VaultSessionStore create(
      Vertx vertx, VaultOptions options, MasterKey master, GatewayJwtSigner signer) {
    WorkerExecutor executor =
        vertx.createSharedWorkerExecutor(
            WORKER_POOL,
            options.workerPoolSize(),
            options.maxExecuteTime().toMillis(),
            TimeUnit.MILLISECONDS);
    LOG.info("Vault session store ready ({})", options);
    return new VaultSessionStore(executor, new VaultAccess(options, master, signer));
  }

  @Override
  public Future<StoredSession> read(TenantSessionRef ref) {
    return blocking(ref, c -> access.read(c, ref.tenantId()));
  }

  @Override
  public Future<Long> write(TenantSessionRef ref, ScimSession session, long expectedVersion) {
    if (!session.tenantId().equals(ref.tenantId())) {
      return Future.failedFuture(
          new IllegalArgumentException("the session belongs to another tenant"));
    }
    return blocking(ref, c -> access.write(c, ref.tenantId(), session, expectedVersion));
  }

  @Override
  public Future<Void> delete(TenantSessionRef ref) {
    return blocking(
        ref,
        c -> {
          access.delete(c, ref.tenantId());
          return null;
        });
  }

  /**
   * One field of a secret kept beside the tenant's session in its Vault ({@code <mount>/<folder of
   * the session path>/<name>}), such as a pull connector's credentials; empty when there is none.
   * The tenant's Vault policy must allow the path.
   */
  public Future<java.util.Optional<String>> readBeside(
      TenantSessionRef ref, String name, String field) {
    return blocking(
        ref, c -> java.util.Optional.ofNullable(access.readBeside(c, ref.tenantId(), name, field)));
  }

  /** Writes a secret beside the tenant's session (see {@link #readBeside}). */
  public Future<Void> writeBeside(TenantSessionRef ref, String name, String field, String value) {
    return blocking(
        ref,
        c -> {
          access.writeBeside(c, ref.tenantId(), name, field, value);
          return null;
        });
  }

  /** Removes a secret beside the tenant's session, every version of it. */
  public Future<Void> deleteBeside(TenantSessionRef ref, String name) {
    return blocking(
        ref,
        c -> {
          access.deleteBeside(c, ref.tenantId(), name);
          return null;
        });
  }

  /** Tests the connection step by step (for tenant-admin's "test connection"). */
  public VaultDiagnostics diagnostics() {
    return new VaultDiagnostics(executor, access);
  }

  /** How many logins this store has made (every method counts; token auth counts lookups). */
  public long logins() {
    return access.logins();
  }

  /** Drops every cached Vault token (they are re-obtained on next use). */
  public void forgetTokens() {
    access.forgetTokens();
  }

  public Future<Void> close() {
    return executor.close();
  }

  @FunctionalInterface
  private interface VaultWork<T> {
    T run(VaultConnection connection);
  }

  private <T> Future<T> blocking(TenantSessionRef ref, VaultWork<T> work) {
    VaultConnection connection;
    try {
      connection = VaultConnection.fromJson(ref.vault());
    } catch (InvalidVaultConnectionException e) {
      return Future.failedFuture(
          new SessionUnavailableException(
              "tenant " + ref.tenantId() + " has an unusable Vault connection: " + e.getMessage(),
              e));
    }
    Callable<T> call =
        () -> {
          try {
            return work.run(connection);
          } catch (VaultCallException e) {
            throw new SessionUnavailableException(
                "tenant "
                    + ref.tenantId()
                    + " Vault "
                    + e.step().wire()
                    + " failure: "
                    + e.getMessage(),
                e);
          }
        };
    return executor.executeBlocking(call, false);
  }
}
