package io.switchboard.connector;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;

/** What one sync changed, as numbers only (they go to the fleet status and the audit log). */
public final class SyncCounts {
  final AtomicInteger sourceUsers = new AtomicInteger();
  final AtomicInteger sourceGroups = new AtomicInteger();
  final AtomicInteger usersCreated = new AtomicInteger();
  final AtomicInteger usersUpdated = new AtomicInteger();
  final AtomicInteger usersSuspended = new AtomicInteger();
  final AtomicInteger usersDeleted = new AtomicInteger();
  final AtomicInteger usersAdopted = new AtomicInteger();
  final AtomicInteger usersConflicting = new AtomicInteger();
  final AtomicInteger groupsCreated = new AtomicInteger();
  final AtomicInteger groupsUpdated = new AtomicInteger();
  final AtomicInteger groupsDeleted = new AtomicInteger();
  final AtomicInteger membershipsChanged = new AtomicInteger();

  /** Changes applied to the directory (everything but the source figures). */
  public int applied() {
    return usersCreated.get()
        + usersUpdated.get()
        + usersSuspended.get()
        + usersDeleted.get()
        + groupsCreated.get()
        + groupsUpdated.get()
        + groupsDeleted.get()
        + membershipsChanged.get();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("sourceUsers", sourceUsers.get())
        .put("sourceGroups", sourceGroups.get())
        .put("usersCreated", usersCreated.get())
        .put("usersUpdated", usersUpdated.get())
        .put("usersSuspended", usersSuspended.get())
        .put("usersDeleted", usersDeleted.get())
        .put("usersAdopted", usersAdopted.get())
        .put("usersConflicting", usersConflicting.get())
        .put("groupsCreated", groupsCreated.get())
        .put("groupsUpdated", groupsUpdated.get())
        .put("groupsDeleted", groupsDeleted.get())
        .put("membershipsChanged", membershipsChanged.get())
        .put("applied", applied());
  }
}
