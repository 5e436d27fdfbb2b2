package io.switchboard.admin;

import io.switchboard.session.BearerToken;
import io.switchboard.store.Database;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Operator API keys ({@code sba_<id>_<secret>}): only the SHA-256 of the secret is stored, the
 * check is constant-time in the secret, and every rejection looks the same.
 *
 * <p>Usage: {@code keys.authenticate(header).onSuccess(principal -> ...)}.
 */
public final class AdminKeys {
  private static final byte[] DUMMY = BearerToken.sha256("switchboard-admin-dummy");
  private static final String SELECT =
      "select secret_hash, scope, revoked_at from admin_keys where key_id = $1";
  private static final String INSERT =
      "insert into admin_keys (key_id, secret_hash, scope, label) values ($1, $2, $3, $4)"
          + " on conflict (key_id) do nothing";
  private static final String TOUCH =
      "update admin_keys set last_used_at = now() where key_id = $1"
          + " and (last_used_at is null or last_used_at < now() - interval '1 minute')";

  private final Database db;

  public AdminKeys(Database db) {
    this.db = db;
  }

  /** A newly created key; {@code token} is shown once. */
  public record IssuedKey(String keyId, String token, String scope) {
    @Override
    public String toString() {
      return "IssuedKey[" + keyId + ", " + scope + "]";
    }
  }

  /** Verifies an {@code Authorization: Bearer sba_...} header; empty when not valid. */
  public Future<Optional<AdminPrincipal>> authenticate(String authorization) {
    Optional<BearerToken> token = parse(authorization);
    if (token.isEmpty()) {
      MessageDigest.isEqual(DUMMY, BearerToken.sha256("x"));
      return Future.succeededFuture(Optional.empty());
    }
    BearerToken t = token.get();
    return db.pool()
        .preparedQuery(SELECT)
        .execute(Tuple.of(t.tokenId()))
        .map(
            rows -> {
              Row row = rows.size() == 0 ? null : rows.iterator().next();
              byte[] expected = row == null ? DUMMY : row.getBuffer("secret_hash").getBytes();
              boolean ok = MessageDigest.isEqual(expected, t.secretHash());
              if (row == null || !ok || row.getValue("revoked_at") != null) {
                return Optional.<AdminPrincipal>empty();
              }
              db.pool().preparedQuery(TOUCH).execute(Tuple.of(t.tokenId()));
              return Optional.of(new AdminPrincipal(t.tokenId(), row.getString("scope")));
            });
  }

  /** Creates a key with {@code scope} ({@code fleet} or {@code org:<id>}). */
  public Future<IssuedKey> create(String scope, String label) {
    BearerToken token = BearerToken.generate(BearerToken.ADMIN_PREFIX);
    return db.pool()
        .preparedQuery(INSERT)
        .execute(
            Tuple.of(
                token.tokenId(),
                Buffer.buffer(token.secretHash()),
                scope,
                label == null ? "" : label))
        .map(r -> new IssuedKey(token.tokenId(), token.reveal(), scope));
  }

  /**
   * Makes sure a known token (SWITCHBOARD_ADMIN_BOOTSTRAP_TOKEN, or the one `switchboard dev`
   * saved) is a fleet key. Returns false if the token is malformed.
   */
  public Future<Boolean> ensure(String token, String label) {
    Optional<BearerToken> parsed = BearerToken.parse(BearerToken.ADMIN_PREFIX, token);
    if (parsed.isEmpty()) {
      return Future.succeededFuture(false);
    }
    BearerToken t = parsed.get();
    return db.pool()
        .preparedQuery(INSERT)
        .execute(Tuple.of(t.tokenId(), Buffer.buffer(t.secretHash()), AdminPrincipal.FLEET, label))
        .compose(r -> authenticate("Bearer " + token))
        .map(Optional::isPresent);
  }

  private static Optional<BearerToken> parse(String header) {
    if (header == null || header.length() < 8 || header.length() > 200) {
      return Optional.empty();
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return BearerToken.parse(BearerToken.ADMIN_PREFIX, header.substring(7).trim());
  }
}
