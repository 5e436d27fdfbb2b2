package io.switchboard.scim.filter;

/**
 * A top-level, AND-ed {@code eq} comparison a store can answer from an index: canonical {@code
 * path} ("userName", "externalId", "emails.value", "members.value", "displayName", "id"), the
 * literal as text, and whether the attribute compares case-exactly.
 */
public record Equality(String path, String value, boolean caseExact) {}
