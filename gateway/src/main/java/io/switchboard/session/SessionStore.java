package io.switchboard.session;

import io.vertx.core.Future;

/**
 * Reads and writes tenants' scimsessions. Implementations never block the event loop (the Vault
 * driver runs on a dedicated worker pool) and fail with:
 *
 * <ul>
 *   <li>{@link SessionUnavailableException}: the store could not be reached or answered with an
 *       error that may pass (network, 5xx, login failure). The gateway answers 503.
 *   <li>{@link SessionNotFoundException}: the store answered and there is no session there.
 *   <li>{@link SessionCodec.InvalidSessionException}: there is something, but not a session.
 *   <li>{@link SessionConflictException}: a check-and-set write lost a race.
 * </ul>
 *
 * <p>Usage: {@code store.read(ref).compose(stored -> ...)}.
 */
public interface SessionStore {

  Future<StoredSession> read(TenantSessionRef ref);

  /**
   * Writes {@code session}; {@code expectedVersion} 0 means "must not exist yet", otherwise the
   * write succeeds only if the stored version still equals it. Returns the new version.
   */
  Future<Long> write(TenantSessionRef ref, ScimSession session, long expectedVersion);

  /** Removes the session (crypto-shred); succeeds if it is already gone. */
  Future<Void> delete(TenantSessionRef ref);
}
