package io.switchboard.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.DataCipher;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.scim.ScimJson;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Encrypts and decrypts what the store keeps of a resource, always bound to (tenant, kind, id,
 * version) so ciphertexts cannot be moved between rows or replayed across versions.
 */
final class ResourceCodec {
  private ResourceCodec() {}

  static Buffer document(
      TenantKeys keys, ResourceKind kind, UUID id, long version, ObjectNode doc) {
    return Buffer.buffer(
        keys.cipher()
            .encrypt(
                ScimJson.write(doc), DataCipher.aad(keys.tenantId(), kind.aadKind(), id, version)));
  }

  static ObjectNode document(
      TenantKeys keys, ResourceKind kind, UUID id, long version, Buffer ciphertext) {
    byte[] json =
        keys.cipher()
            .decrypt(
                ciphertext.getBytes(),
                DataCipher.aad(keys.tenantId(), kind.aadKind(), id, version));
    try {
      JsonNode node = ScimJson.MAPPER.readTree(json);
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new DataCipher.CorruptCiphertextException("stored document is not JSON");
    }
  }

  static Buffer display(TenantKeys keys, ResourceKind kind, UUID id, long version, String display) {
    return Buffer.buffer(
        keys.cipher()
            .encrypt(
                display.getBytes(StandardCharsets.UTF_8),
                DataCipher.aad(keys.tenantId(), kind.displayAadKind(), id, version)));
  }

  static String display(
      TenantKeys keys, ResourceKind kind, UUID id, long version, Buffer ciphertext) {
    if (ciphertext == null) {
      return null;
    }
    return new String(
        keys.cipher()
            .decrypt(
                ciphertext.getBytes(),
                DataCipher.aad(keys.tenantId(), kind.displayAadKind(), id, version)),
        StandardCharsets.UTF_8);
  }

  /** Feed payloads are bound to their event type, resource and the version they describe. */
  static Buffer event(
      TenantKeys keys, String type, UUID resourceId, long version, ObjectNode payload) {
    return Buffer.buffer(
        keys.cipher()
            .encrypt(
                ScimJson.write(payload),
                DataCipher.aad(keys.tenantId(), "event:" + type, resourceId, version)));
  }

  static ObjectNode event(
      TenantKeys keys, String type, UUID resourceId, long version, Buffer ciphertext) {
    byte[] json =
        keys.cipher()
            .decrypt(
                ciphertext.getBytes(),
                DataCipher.aad(keys.tenantId(), "event:" + type, resourceId, version));
    try {
      return (ObjectNode) ScimJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new DataCipher.CorruptCiphertextException("stored event is not JSON");
    }
  }
}
