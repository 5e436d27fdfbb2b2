package io.switchboard.scim.filter;

import java.util.Locale;

/**
 * An attribute path (RFC 7644 §3.10): optional schema URN, attribute name, optional sub-attribute.
 * Inside a value filter ({@code emails[type eq "work"]}) the path is relative to the outer
 * attribute, so {@code type} is the attribute here.
 *
 * <p>Usage: {@code AttrPath.parse("urn:ietf:params:scim:schemas:core:2.0:User:name.givenName")}
 */
public record AttrPath(String schemaUrn, String attribute, String subAttribute) {

  public AttrPath {
    if (attribute == null || attribute.isEmpty()) {
      throw new IllegalArgumentException("attribute is required");
    }
  }

  public static AttrPath of(String attribute) {
    return new AttrPath(null, attribute, null);
  }

  /**
   * Parses {@code [URN ":"] ATTRNAME ["." subAttr]}; throws {@link IllegalArgumentException} with a
   * reason when the text is not an attribute path.
   */
  public static AttrPath parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty attribute path");
    }
    String urn = null;
    String rest = text;
    if (text.regionMatches(true, 0, "urn:", 0, 4)) {
      int colon = text.lastIndexOf(':');
      urn = text.substring(0, colon);
      rest = text.substring(colon + 1);
      if (urn.length() <= 4 || rest.isEmpty()) {
        throw new IllegalArgumentException("a schema URN must be followed by an attribute name");
      }
    }
    int dot = rest.indexOf('.');
    String attr = dot < 0 ? rest : rest.substring(0, dot);
    String sub = dot < 0 ? null : rest.substring(dot + 1);
    if (!isAttrName(attr)) {
      throw new IllegalArgumentException("invalid attribute name");
    }
    if (sub != null && !isAttrName(sub)) {
      throw new IllegalArgumentException("invalid sub-attribute name");
    }
    return new AttrPath(urn, attr, sub);
  }

  /** RFC 7644 §3.10 ATTRNAME, plus {@code $ref}. */
  public static boolean isAttrName(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    if (!(isAlpha(first) || (first == '$' && s.length() > 1))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isAlpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** A copy with a sub-attribute (for {@code emails[...].value}). */
  public AttrPath withSubAttribute(String sub) {
    return new AttrPath(schemaUrn, attribute, sub);
  }

  /** True for the same path, ignoring case (RFC 7643 §2.1). */
  public boolean sameAs(AttrPath other) {
    return other != null
        && eqIgnoreCase(schemaUrn, other.schemaUrn)
        && attribute.equalsIgnoreCase(other.attribute)
        && eqIgnoreCase(subAttribute, other.subAttribute);
  }

  private static boolean eqIgnoreCase(String a, String b) {
    return a == null ? b == null : a.equalsIgnoreCase(b);
  }

  @Override
  public String toString() {
    return (schemaUrn == null ? "" : schemaUrn + ":")
        + attribute
        + (subAttribute == null ? "" : "." + subAttribute);
  }

  String lowerName() {
    return attribute.toLowerCase(Locale.ROOT);
  }
}
