package io.switchboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.crypto.DataCipher;
import io.switchboard.crypto.TenantKeys;
import io.switchboard.scim.ScimJson;
import java.io.IOException;
import java.util.UUID;

/**
 * Feed payloads at rest: AES-GCM under the tenant's data key, bound to (tenant, event type,
 * resource id, version) so a payload cannot be moved to another event.
 */
final class EventCodec {
  private EventCodec() {}

  static ObjectNode envelope(FeedWriter.NewEvent event) {
    ObjectNode envelope = ScimJson.object();
    envelope.put("type", event.type());
    envelope.put("resourceType", event.resourceType());
    envelope.put("id", event.resourceId().toString());
    envelope.put("version", event.version());
    envelope.setAll(event.payload());
    return envelope;
  }

  static byte[] encrypt(TenantKeys keys, String type, UUID id, long version, ObjectNode doc) {
    return keys.cipher().encrypt(ScimJson.write(doc), aad(keys, type, id, version));
  }

  static ObjectNode decrypt(TenantKeys keys, String type, UUID id, long version, byte[] ct) {
    byte[] json = keys.cipher().decrypt(ct, aad(keys, type, id, version));
    try {
      return (ObjectNode) ScimJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new DataCipher.CorruptCiphertextException("stored event is not JSON");
    }
  }

  private static byte[] aad(TenantKeys keys, String type, UUID id, long version) {
    return DataCipher.aad(keys.tenantId(), "event:" + type, id, version);
  }
}
