package io.switchboard.session;

import io.vertx.core.Future;

/**
 * Routes each tenant's session calls to the store its {@link TenantSessionRef} names. The Vault
 * store is optional (absent in a gateway configured for local sessions only).
 *
 * <p>Usage: {@code SessionStores.of(local, vault).read(ref)}.
 */
public final class SessionStores implements SessionStore {
  private final SessionStore local;
  private final SessionStore vault;

  private SessionStores(SessionStore local, SessionStore vault) {
    this.local = local;
    this.vault = vault;
  }

  /** {@code local} or {@code vault} may be null when that kind is not configured. */
  public static SessionStores of(SessionStore local, SessionStore vault) {
    return new SessionStores(local, vault);
  }

  private SessionStore storeFor(TenantSessionRef ref) {
    SessionStore store =
        switch (ref.store()) {
          case TenantSessionRef.LOCAL -> local;
          case TenantSessionRef.VAULT -> vault;
          default -> null;
        };
    if (store == null) {
      throw new SessionUnavailableException(
          "session store '" + ref.store() + "' is not configured on this gateway");
    }
    return store;
  }

  @Override
  public Future<StoredSession> read(TenantSessionRef ref) {
    try {
      return storeFor(ref).read(ref);
    } catch (SessionUnavailableException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Long> write(TenantSessionRef ref, ScimSession session, long expectedVersion) {
    try {
      return storeFor(ref).write(ref, session, expectedVersion);
    } catch (SessionUnavailableException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> delete(TenantSessionRef ref) {
    try {
      return storeFor(ref).delete(ref);
    } catch (SessionUnavailableException e) {
      return Future.failedFuture(e);
    }
  }
}
