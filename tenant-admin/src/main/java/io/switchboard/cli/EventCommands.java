package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard events ...}: read an organisation's change feed. */
@Command(
    name = "events",
    description = "Read an organisation's change feed.",
    subcommands = {EventCommands.ListEvents.class, EventCommands.Tail.class})
final class EventCommands {

  @Command(name = "list", description = "List events after a cursor (seq), oldest first.")
  static final class ListEvents implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--after", defaultValue = "0", description = "Cursor: list events after it.")
    long after;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (1-1000).")
    int limit;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject page =
          client.get("/orgs/" + org + "/events?after=" + after + "&limit=" + limit).body();
      print(page.getJsonArray("items"), json);
      if (!json) {
        System.out.println("next cursor: " + page.getString("nextCursor"));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "tail",
      description = "Follow the feed (long-poll), printing events as they happen. Ctrl-C stops.")
  static final class Tail implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--after", description = "Start after this cursor (default: from now).")
    Long after;

    @Option(
        names = "--max-events",
        description = "Stop after this many events (default: never).",
        hidden = true)
    Long maxEvents;

    @Override
    public Integer call() {
      boolean json = client.json();
      long cursor = after == null ? currentEnd() : after;
      long printed = 0;
      while (maxEvents == null || printed < maxEvents) {
        JsonObject page =
            client.get("/orgs/" + org + "/events?after=" + cursor + "&limit=100&wait=25").body();
        JsonArray items = page.getJsonArray("items");
        if (maxEvents != null && items.size() > maxEvents - printed) {
          items = new JsonArray(items.getList().subList(0, (int) (maxEvents - printed)));
        }
        print(items, json);
        printed += items.size();
        cursor = Long.parseLong(page.getString("nextCursor"));
        if (!items.isEmpty()) {
          cursor = items.getJsonObject(items.size() - 1).getLong("seq");
        }
      }
      return SwitchboardCli.OK;
    }

    private long currentEnd() {
      long cursor = 0;
      while (true) {
        JsonObject page =
            client.get("/orgs/" + org + "/events?after=" + cursor + "&limit=1000").body();
        long next = Long.parseLong(page.getString("nextCursor"));
        if (next == cursor) {
          return cursor;
        }
        cursor = next;
      }
    }
  }

  static void print(JsonArray items, boolean json) {
    if (json) {
      for (int i = 0; i < items.size(); i++) {
        System.out.println(items.getJsonObject(i).encode());
      }
      return;
    }
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonObject e = items.getJsonObject(i);
      rows.add(
          List.of(
              String.valueOf(e.getLong("seq")),
              e.getString("occurredAt"),
              e.getString("type"),
              e.getString("resourceType") + "/" + e.getString("resourceId")));
    }
    if (!rows.isEmpty()) {
      Table.print(List.of("SEQ", "AT", "TYPE", "RESOURCE"), rows);
    }
  }
}
