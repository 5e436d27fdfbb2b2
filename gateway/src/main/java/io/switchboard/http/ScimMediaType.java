package io.switchboard.http;

/** Content types the gateway speaks. */
public final class ScimMediaType {
  /** RFC 7644 §3.1: the media type of every SCIM response. */
  public static final String SCIM_JSON = "application/scim+json";

  private ScimMediaType() {}

  /**
   * Whether a request body's Content-Type is JSON we accept: application/json or
   * application/scim+json, any parameters (charset) and any case. A missing type is accepted too:
   * several IdPs omit it and the body decides.
   */
  public static boolean acceptable(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json")
        || type.equals("application/scim+json")
        || type.endsWith("+json");
  }
}
