package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code switchboard admin-key ...}: operator keys for tenant-admin (fleet keys only). */
@Command(
    name = "admin-key",
    description = "Manage operator keys: fleet-wide, or scoped to one organisation.",
    subcommands = {
      AdminKeyCommands.Create.class,
      AdminKeyCommands.ListKeys.class,
      AdminKeyCommands.Revoke.class
    })
final class AdminKeyCommands {

  @Command(name = "create", description = "Create an operator key (shown once).")
  static final class Create implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(
        names = "--scope",
        required = true,
        description = "fleet, or org:<organisation id> for customer self-service.")
    String scope;

    @Option(names = "--label", description = "Who or what the key is for.")
    String label;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body = new JsonObject().put("scope", scope);
      if (label != null) {
        body.put("label", label);
      }
      JsonObject key = client.post("/admin-keys", body).body();
      if (json) {
        System.out.println(key.encode());
      } else {
        Table.print(
            List.of("KEY ID", "SCOPE", "LABEL"),
            List.of(List.of(key.getString("id"), key.getString("scope"), key.getString("label"))));
        System.out.println();
        System.out.println("Operator key (shown once):");
        System.out.println("  " + key.getString("token"));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "list", description = "List operator keys (never their secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin AdminClient client;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject page = client.get("/admin-keys").body();
      if (json) {
        System.out.println(page.encode());
        return SwitchboardCli.OK;
      }
      List<List<String>> rows = new ArrayList<>();
      for (Object o : page.getJsonArray("items", new JsonArray())) {
        JsonObject k = (JsonObject) o;
        rows.add(
            List.of(
                k.getString("id"),
                k.getString("scope"),
                k.getString("label", ""),
                k.getString("createdAt"),
                FleetCommands.orNever(k.getValue("lastUsedAt")),
                k.getValue("revokedAt") == null ? "active" : "revoked"));
      }
      Table.print(List.of("KEY ID", "SCOPE", "LABEL", "CREATED", "LAST USED", "STATUS"), rows);
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke an operator key at once.")
  static final class Revoke implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Key id.")
    String keyId;

    @Override
    public Integer call() {
      client.json();
      client.delete("/admin-keys/" + keyId);
      System.out.println("revoked " + keyId);
      return SwitchboardCli.OK;
    }
  }
}
