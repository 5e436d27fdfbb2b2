package io.switchboard.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.session.ScimSession;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Data at rest: AES-256-GCM bound to tenant, resource and version")
class DataCipherTest {
  private final UUID tenant = UUID.randomUUID();
  private final ScimSession session = ScimSession.create(tenant, Instant.now());
  private final TenantKeys keys = TenantKeys.derive(session);
  private final UUID id = UUID.randomUUID();
  private final byte[] plaintext =
      "{\"userName\":\"ada@example.com\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  @DisplayName("a ciphertext decrypts in its own place and does not contain the plaintext")
  void roundTrip() {
    byte[] ct = keys.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 1));
    assertThat(new String(ct, StandardCharsets.ISO_8859_1)).doesNotContain("ada@example.com");
    assertThat(keys.cipher().decrypt(ct, DataCipher.aad(tenant, "user", id, 1)))
        .isEqualTo(plaintext);
  }

  @Test
  @DisplayName("moving a ciphertext to another resource id fails to decrypt")
  void swappedRowFails() {
    byte[] ct = keys.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 1));
    assertThatThrownBy(
            () -> keys.cipher().decrypt(ct, DataCipher.aad(tenant, "user", UUID.randomUUID(), 1)))
        .isInstanceOf(DataCipher.CorruptCiphertextException.class);
  }

  @Test
  @DisplayName("replaying an old version's ciphertext as the current version fails")
  void replayedVersionFails() {
    byte[] v1 = keys.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 1));
    assertThatThrownBy(() -> keys.cipher().decrypt(v1, DataCipher.aad(tenant, "user", id, 2)))
        .isInstanceOf(DataCipher.CorruptCiphertextException.class);
  }

  @Test
  @DisplayName("another tenant's keys cannot decrypt, even for the same ids")
  void otherTenantFails() {
    byte[] ct = keys.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 1));
    TenantKeys other = TenantKeys.derive(ScimSession.create(UUID.randomUUID(), Instant.now()));
    assertThatThrownBy(() -> other.cipher().decrypt(ct, DataCipher.aad(tenant, "user", id, 1)))
        .isInstanceOf(DataCipher.CorruptCiphertextException.class);
  }

  @Test
  @DisplayName(
      "after an account-key rotation, old ciphertexts stay readable and new ones use the new key")
  void rotationKeepsOldReadable() {
    byte[] old = keys.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 1));
    TenantKeys rotated = TenantKeys.derive(session.withNewAccountKey(Instant.now()));
    byte[] fresh = rotated.cipher().encrypt(plaintext, DataCipher.aad(tenant, "user", id, 2));
    assertThat(DataCipher.keyVersionOf(old)).isEqualTo(1);
    assertThat(DataCipher.keyVersionOf(fresh)).isEqualTo(2);
    assertThat(rotated.cipher().decrypt(old, DataCipher.aad(tenant, "user", id, 1)))
        .isEqualTo(plaintext);
  }

  @Test
  @DisplayName("blind indexes: case-insensitive attributes match across case, exact ones do not")
  void blindIndexNormalisation() {
    BlindIndex index = keys.index();
    assertThat(index.caseInsensitive("userName", " Ada@Example.COM "))
        .isEqualTo(index.caseInsensitive("userName", "ada@example.com"));
    assertThat(index.caseExact("externalId", "ABC"))
        .isNotEqualTo(index.caseExact("externalId", "abc"));
    assertThat(index.caseInsensitive("userName", "x"))
        .as("the attribute name is part of the hash")
        .isNotEqualTo(index.caseInsensitive("emails.value", "x"));
    TenantKeys other = TenantKeys.derive(ScimSession.create(UUID.randomUUID(), Instant.now()));
    assertThat(other.index().caseInsensitive("userName", "x"))
        .as("tenants' indexes do not link")
        .isNotEqualTo(index.caseInsensitive("userName", "x"));
  }

  @Test
  @DisplayName("the master key accepts base64 of 32 bytes or a long random string, nothing weaker")
  void masterKeyForms() {
    MasterKey fromB64 = MasterKey.parse(MasterKey.generateBase64());
    String sealed = fromB64.seal("p", tenant, "s3cret");
    assertThat(sealed).doesNotContain("s3cret");
    assertThat(fromB64.unseal("p", tenant, sealed)).isEqualTo("s3cret");
    MasterKey fromPhrase = MasterKey.parse("x".repeat(20) + "y".repeat(30));
    assertThat(fromPhrase.unseal("p", tenant, fromPhrase.seal("p", tenant, "v"))).isEqualTo("v");
    assertThatThrownBy(() -> MasterKey.parse("short")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fromB64.unseal("other-purpose", tenant, sealed))
        .isInstanceOf(DataCipher.CorruptCiphertextException.class);
  }
}
