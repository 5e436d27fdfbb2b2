package io.switchboard.store;

/** The two SCIM resource types the directory stores. */
public enum ResourceKind {
  USER("User", "Users", "user"),
  GROUP("Group", "Groups", "group");

  private final String resourceType;
  private final String endpoint;
  private final String aadKind;

  ResourceKind(String resourceType, String endpoint, String aadKind) {
    this.resourceType = resourceType;
    this.endpoint = endpoint;
    this.aadKind = aadKind;
  }

  /** {@code meta.resourceType}: User or Group. */
  public String resourceType() {
    return resourceType;
  }

  /** The collection path segment: Users or Groups. */
  public String endpoint() {
    return endpoint;
  }

  String aadKind() {
    return aadKind;
  }

  String displayAadKind() {
    return aadKind + "-display";
  }
}
