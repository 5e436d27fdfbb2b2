package io.switchboard.store;

import java.util.List;

/** One page of a list and the total number of matches. */
public record Page(long total, List<StoredResource> resources) {}
