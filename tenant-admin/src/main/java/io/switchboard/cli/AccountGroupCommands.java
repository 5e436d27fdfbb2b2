package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code switchboard org groups ...}: the downstream account's groups, and registering the ones it
 * already has so the IdP's first push of that name links to them instead of duplicating them.
 */
@Command(
    name = "groups",
    description = "The organisation's account groups (linked to SCIM groups or not).",
    subcommands = {AccountGroupCommands.ListGroups.class, AccountGroupCommands.Add.class})
final class AccountGroupCommands {
  static final List<String> COLUMNS =
      List.of("ACCOUNT GROUP ID", "NAME", "SCIM GROUP", "MANAGED", "ORIGIN");

  static List<String> row(JsonObject g) {
    Object managed = g.getValue("managed");
    return List.of(
        g.getString("id"),
        g.getString("displayName"),
        g.getString("scimGroupId") == null ? "(unlinked)" : g.getString("scimGroupId"),
        managed == null ? "-" : managed.toString(),
        g.getString("origin"));
  }

  @Command(name = "list", description = "List account groups, linked or not.")
  static final class ListGroups implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonArray items = client.get("/orgs/" + org + "/account-groups").body().getJsonArray("items");
      if (json) {
        System.out.println(new JsonObject().put("items", items).encode());
        return SwitchboardCli.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        rows.add(row(items.getJsonObject(i)));
      }
      Table.print(COLUMNS, rows);
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "add",
      description =
          "Register a group the downstream account already has: the IdP's first push of a group"
              + " with this name (case-insensitive) links to it.")
  static final class Add implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String org;

    @Parameters(index = "1", description = "The group's displayName.")
    String displayName;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject created =
          client
              .post(
                  "/orgs/" + org + "/account-groups",
                  new JsonObject().put("displayName", displayName))
              .body();
      if (json) {
        System.out.println(created.encode());
      } else {
        Table.print(COLUMNS, List.of(row(created)));
      }
      return SwitchboardCli.OK;
    }
  }
}
