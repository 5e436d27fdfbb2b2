package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard fleet status} (also {@code switchboard status}) and {@code audit}. */
final class FleetCommands {
  private FleetCommands() {}

  @Command(name = "fleet", description = "The fleet of organisations.", subcommands = Status.class)
  static final class Fleet {}

  @Command(
      name = "status",
      description =
          "Organisations by status, requests and errors over the last 5 minutes, last"
              + " provisioning, and those needing attention. Exit 1 if any needs attention with"
              + " --check.")
  static final class Status implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--check", description = "Exit 1 if any organisation needs attention.")
    boolean check;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject status = client.get("/fleet/status").body();
      JsonArray attention = status.getJsonArray("needsAttention", new JsonArray());
      if (json) {
        System.out.println(status.encode());
      } else {
        JsonObject by = status.getJsonObject("orgsByStatus", new JsonObject());
        System.out.println(
            "organisations: "
                + by.getValue("active", 0)
                + " active, "
                + by.getValue("suspended", 0)
                + " suspended, "
                + by.getValue("deleting", 0)
                + " deleting; "
                + attention.size()
                + " need attention");
        System.out.println();
        List<List<String>> rows = new ArrayList<>();
        for (Object o : status.getJsonArray("orgs", new JsonArray())) {
          JsonObject org = (JsonObject) o;
          rows.add(
              List.of(
                  org.getString("id"),
                  org.getString("slug"),
                  org.getString("status"),
                  String.valueOf(org.getValue("requests")),
                  String.valueOf(org.getValue("errors")),
                  orNever(org.getValue("lastRequestAt")),
                  orNever(org.getValue("lastProvisioningAt")),
                  String.join(",", org.getJsonArray("attention", new JsonArray()).getList())));
        }
        Table.print(
            List.of(
                "ID",
                "SLUG",
                "STATUS",
                "REQ 5M",
                "ERR 5M",
                "LAST REQUEST",
                "LAST CHANGE",
                "ATTENTION"),
            rows);
      }
      return check && !attention.isEmpty() ? SwitchboardCli.FAILED : SwitchboardCli.OK;
    }
  }

  static String orNever(Object value) {
    return value == null ? "never" : value.toString();
  }

  @Command(
      name = "audit",
      description =
          "An organisation's audit log (--org), or without --org the fleet-level one (operator"
              + " keys, deletions); newest first.")
  static final class Audit implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", description = "Organisation id; without it, the fleet-level audit.")
    String org;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "Entries (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonArray entries = new JsonArray();
      String cursor = null;
      do {
        int want = Math.min(200, limit - entries.size());
        JsonObject page =
            client
                .get(
                    (org == null ? "" : "/orgs/" + org)
                        + "/audit?limit="
                        + want
                        + (cursor == null ? "" : "&cursor=" + AdminClient.encode(cursor)))
                .body();
        entries.addAll(page.getJsonArray("items", new JsonArray()));
        cursor = page.getString("nextCursor");
      } while (cursor != null && entries.size() < limit);
      if (json) {
        System.out.println(new JsonObject().put("items", entries).encode());
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (Object o : entries) {
          JsonObject e = (JsonObject) o;
          rows.add(
              List.of(
                  e.getString("at"),
                  e.getString("actor"),
                  e.getString("action"),
                  String.valueOf(e.getValue("target", "")),
                  String.valueOf(e.getValue("requestId", ""))));
        }
        Table.print(List.of("AT", "ACTOR", "ACTION", "TARGET", "REQUEST ID"), rows);
      }
      return SwitchboardCli.OK;
    }
  }
}
