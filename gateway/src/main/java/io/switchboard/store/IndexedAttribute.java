package io.switchboard.store;

/** The attributes with blind indexes, answerable for {@code eq} without decrypting a scan. */
public enum IndexedAttribute {
  USER_NAME,
  EXTERNAL_ID,
  EMAIL,
  DISPLAY_NAME
}
