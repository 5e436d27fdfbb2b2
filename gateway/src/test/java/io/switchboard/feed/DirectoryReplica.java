package io.switchboard.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A downstream consumer for tests: rebuilds a tenant's directory from feed events alone (their wire
 * JSON, as the pull API and webhooks carry them), following the rules the README documents.
 */
public final class DirectoryReplica {
  public final Map<String, ObjectNode> users = new HashMap<>();
  public final Map<String, ObjectNode> groups = new HashMap<>();
  public final Map<String, Set<String>> members = new HashMap<>();

  /** SCIM group id → the downstream account group it is bound to. */
  public final Map<String, String> accountGroups = new HashMap<>();

  private long lastSeq;

  /** Applies one event; events must come in seq order without gaps. */
  public void apply(JsonNode event) {
    long seq = event.get("seq").asLong();
    if (seq != lastSeq + 1) {
      throw new IllegalStateException("gap or reorder: " + lastSeq + " then " + seq);
    }
    lastSeq = seq;
    String id = event.get("resourceId").asText();
    JsonNode data = event.get("data");
    switch (event.get("type").asText()) {
      case "user.invited", "user.updated" -> users.put(id, (ObjectNode) data.get("resource"));
      case "user.deleted" -> {
        users.remove(id);
        members.values().forEach(s -> s.remove(id));
      }
      case "group.created", "group.updated", "group.renamed" -> {
        groups.put(id, (ObjectNode) data.get("resource"));
        members.putIfAbsent(id, new LinkedHashSet<>());
        bind(id, data);
      }
      case "group.managed", "group.linked" -> {
        // linked: the account's existing group takes this SCIM id and exactly these members
        groups.put(id, (ObjectNode) data.get("resource"));
        Set<String> set = new LinkedHashSet<>();
        data.get("members").forEach(m -> set.add(m.get("value").asText()));
        members.put(id, set);
        bind(id, data);
      }
      case "group.deleted", "group.unmanaged" -> {
        accountGroups.remove(id);
        groups.remove(id);
        members.remove(id);
        members.values().forEach(s -> s.remove(id));
      }
      case "group.member.granted" ->
          data.get("members").forEach(m -> members.get(id).add(m.asText()));
      case "group.member.revoked" ->
          data.get("members").forEach(m -> members.get(id).remove(m.asText()));
      default -> {
        // status events (confirmed, suspended, reactivated, email_change_pending) change the
        // account, not the directory's content
      }
    }
  }

  private void bind(String id, JsonNode data) {
    if (data.hasNonNull("accountGroupId")) {
      accountGroups.put(id, data.get("accountGroupId").asText());
    }
  }

  public long lastSeq() {
    return lastSeq;
  }
}
