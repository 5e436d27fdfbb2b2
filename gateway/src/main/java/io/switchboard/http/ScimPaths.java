package io.switchboard.http;

import java.util.Locale;
import java.util.Map;

/**
 * IdPs send {@code /scim/v2/users}, {@code /scim/v2/Users/} and {@code /SCIM/V2/Groups?...}: paths
 * are matched case-insensitively and tolerate a trailing slash. This maps a request path to its
 * canonical form (or returns it unchanged); the router reroutes when they differ.
 */
public final class ScimPaths {
  public static final String PREFIX = "/scim/v2";
  private static final Map<String, String> SEGMENTS =
      Map.of(
          "users", "Users",
          "groups", "Groups",
          "serviceproviderconfig", "ServiceProviderConfig",
          "serviceproviderconfigs", "ServiceProviderConfig",
          "resourcetypes", "ResourceTypes",
          "schemas", "Schemas",
          "bulk", "Bulk",
          "me", "Me",
          ".search", ".search");

  private ScimPaths() {}

  /** The canonical path, or null if {@code path} is not under the SCIM prefix at all. */
  public static String canonical(String path) {
    if (path == null
        || path.length() < PREFIX.length()
        || !path.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String rest = path.substring(PREFIX.length());
    if (!rest.isEmpty() && rest.charAt(0) != '/') {
      return null;
    }
    StringBuilder out = new StringBuilder(PREFIX);
    String[] parts = rest.split("/");
    int index = 0;
    for (String part : parts) {
      if (part.isEmpty()) {
        continue;
      }
      // only the resource-type segment and a trailing .search are case-folded; ids stay as sent
      String canonical =
          index == 0 || part.equalsIgnoreCase(".search")
              ? SEGMENTS.getOrDefault(part.toLowerCase(Locale.ROOT), part)
              : part;
      out.append('/').append(canonical);
      index++;
    }
    return out.toString();
  }
}
