package io.switchboard.connector.google;

import io.switchboard.connector.ConnectorException;
import io.vertx.core.json.JsonObject;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A Google service account key as the Cloud console downloads it (JSON with {@code type:
 * service_account}, {@code client_email}, {@code private_key_id}, {@code private_key} in PKCS#8
 * PEM). Parsing fails with {@code key_format} and names the field that is wrong, never its value.
 * {@link #toString()} shows no key material.
 */
public record ServiceAccountKey(
    String clientEmail, String clientId, String privateKeyId, PrivateKey privateKey) {

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  public static ServiceAccountKey parse(Object value) {
    JsonObject json;
    try {
      json =
          value instanceof JsonObject j ? j : value instanceof String s ? new JsonObject(s) : null;
    } catch (RuntimeException e) {
      json = null;
    }
    if (json == null) {
      throw keyFormat("serviceAccountKey must be the service account's JSON key file.");
    }
    if (!"service_account".equals(json.getValue("type"))) {
      throw keyFormat(
          "serviceAccountKey is not a service account key (its \"type\" must be"
              + " \"service_account\").");
    }
    String email = string(json, "client_email");
    String keyId = string(json, "private_key_id");
    String pem = string(json, "private_key");
    String clientId = json.getValue("client_id") instanceof String s ? s : "";
    if (!pem.contains(BEGIN) || !pem.contains(END)) {
      throw keyFormat(
          "serviceAccountKey.private_key is not a PKCS#8 PEM private key (\"" + BEGIN + "\").");
    }
    String base64 =
        pem.substring(pem.indexOf(BEGIN) + BEGIN.length(), pem.indexOf(END)).replaceAll("\\s", "");
    PrivateKey key;
    try {
      key =
          KeyFactory.getInstance("RSA")
              .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | InvalidKeySpecException e) {
      throw keyFormat("serviceAccountKey.private_key cannot be read as an RSA private key.");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    if (!(key instanceof RSAPrivateKey rsa) || rsa.getModulus().bitLength() < 2048) {
      throw keyFormat("serviceAccountKey.private_key must be an RSA key of 2048 bits or more.");
    }
    return new ServiceAccountKey(email, clientId, keyId, key);
  }

  private static String string(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank()) {
      throw keyFormat("serviceAccountKey." + field + " is missing.");
    }
    return s;
  }

  private static ConnectorException keyFormat(String message) {
    return new ConnectorException(ConnectorException.KEY_FORMAT, message);
  }

  @Override
  public String toString() {
    return "ServiceAccountKey[id=" + privateKeyId + "]";
  }
}
