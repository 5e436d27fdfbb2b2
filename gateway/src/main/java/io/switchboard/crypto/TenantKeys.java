package io.switchboard.crypto;

import io.switchboard.session.ScimSession;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The keys a tenant context works with, derived once per session load: a {@link DataCipher} over
 * every account-key version and a {@link BlindIndex} under the session's index key.
 *
 * <p>Usage: {@code TenantKeys keys = TenantKeys.derive(session);}
 */
public record TenantKeys(UUID tenantId, DataCipher cipher, BlindIndex index) {

  public static TenantKeys derive(ScimSession session) {
    Map<Integer, byte[]> dataKeys = new HashMap<>();
    session
        .accountKeys()
        .forEach(
            (v, k) ->
                dataKeys.put(
                    v, KeyDerivation.derive(k.key(), session.tenantId(), KeyDerivation.DATA_KEY)));
    byte[] indexKey =
        KeyDerivation.derive(
            session.accountKeys().get(session.indexKeyVersion()).key(),
            session.tenantId(),
            KeyDerivation.INDEX_KEY);
    return new TenantKeys(
        session.tenantId(),
        new DataCipher(dataKeys, session.currentKeyVersion()),
        new BlindIndex(indexKey));
  }
}
