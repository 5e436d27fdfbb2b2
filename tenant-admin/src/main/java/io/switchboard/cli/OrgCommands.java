package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard org ...}: organisations (tenants). */
@Command(
    name = "org",
    description = "Manage organisations.",
    subcommands = {
      OrgCommands.Create.class,
      OrgCommands.ListOrgs.class,
      OrgCommands.Show.class,
      ConnectorCommands.class
    })
final class OrgCommands {

  @Command(name = "create", description = "Create an organisation (prints its id).")
  static final class Create implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--name", required = true, description = "Display name.")
    String name;

    @Option(names = "--slug", description = "URL-safe short name (default: from the name).")
    String slug;

    @Option(
        names = "--idp",
        description = "IdP profile: entra, okta, onelogin, jumpcloud, rippling, google, generic.")
    String idp;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body = new JsonObject().put("name", name);
      if (slug != null) {
        body.put("slug", slug);
      }
      if (idp != null) {
        body.put("idpProfile", idp);
      }
      JsonObject org = client.post("/orgs", body).body();
      if (json) {
        System.out.println(org.encode());
      } else {
        Table.print(
            java.util.List.of("ID", "SLUG", "NAME", "STATUS"),
            java.util.List.of(
                java.util.List.of(
                    org.getString("id"),
                    org.getString("slug"),
                    org.getString("name"),
                    org.getString("status"))));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "list", description = "List organisations.")
  static final class ListOrgs implements Callable<Integer> {
    @Mixin AdminClient client;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject page = client.get("/orgs").body();
      JsonArray items = page.getJsonArray("items", new JsonArray());
      if (json) {
        System.out.println(page.encode());
      } else {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (Object o : items) {
          JsonObject org = (JsonObject) o;
          rows.add(
              java.util.List.of(
                  org.getString("id"),
                  org.getString("slug"),
                  org.getString("name"),
                  org.getString("status")));
        }
        Table.print(java.util.List.of("ID", "SLUG", "NAME", "STATUS"), rows);
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "show", description = "Show one organisation.")
  static final class Show implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject org = client.get("/orgs/" + id).body();
      if (json) {
        System.out.println(org.encode());
      } else {
        org.forEach(e -> System.out.printf("%-14s %s%n", e.getKey(), e.getValue()));
      }
      return SwitchboardCli.OK;
    }
  }
}
