package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard webhook ...}: an organisation's signed webhook endpoints. */
@Command(
    name = "webhook",
    description = "Manage an organisation's webhook endpoints.",
    subcommands = {
      WebhookCommands.Add.class,
      WebhookCommands.ListWebhooks.class,
      WebhookCommands.Remove.class
    })
final class WebhookCommands {

  @Command(name = "add", description = "Add an endpoint (its signing secret is shown once).")
  static final class Add implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--url", required = true, description = "Where to POST events.")
    String url;

    @Option(names = "--description", description = "What the endpoint is.")
    String description;

    @Option(
        names = "--from-start",
        description = "Deliver the whole feed, not only events from now on.")
    boolean fromStart;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body = new JsonObject().put("url", url).put("from", fromStart ? "start" : "now");
      if (description != null) {
        body.put("description", description);
      }
      JsonObject created = client.post("/orgs/" + org + "/webhooks", body).body();
      if (json) {
        System.out.println(created.encode());
      } else {
        Table.print(
            List.of("WEBHOOK ID", "URL"),
            List.of(List.of(created.getString("id"), created.getString("url"))));
        System.out.println();
        System.out.println("Signing secret (shown once, store it with the receiver now):");
        System.out.println("  " + created.getString("secret"));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "list", description = "List endpoints with their delivery position.")
  static final class ListWebhooks implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonArray items = client.get("/orgs/" + org + "/webhooks").body().getJsonArray("items");
      if (json) {
        System.out.println(new JsonObject().put("items", items).encode());
        return SwitchboardCli.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject w = items.getJsonObject(i);
        rows.add(
            List.of(
                w.getString("id"),
                w.getString("url"),
                w.getLong("deliveredSeq") + "/" + w.getLong("lastSeq"),
                String.valueOf(w.getLong("deadLetters")),
                String.valueOf(w.getValue("lastError", "-"))));
      }
      Table.print(List.of("WEBHOOK ID", "URL", "DELIVERED", "DEAD LETTERS", "LAST ERROR"), rows);
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "remove", description = "Remove an endpoint; nothing more is sent to it.")
  static final class Remove implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--id", required = true, description = "Webhook id.")
    String id;

    @Override
    public Integer call() {
      client.json();
      client.delete("/orgs/" + org + "/webhooks/" + id);
      System.out.println("removed " + id);
      return SwitchboardCli.OK;
    }
  }
}
