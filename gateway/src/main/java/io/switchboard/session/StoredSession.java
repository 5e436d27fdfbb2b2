package io.switchboard.session;

/** A session as read from its store, with the store's version for check-and-set writes. */
public record StoredSession(ScimSession session, long version) {}
