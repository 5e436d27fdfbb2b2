package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
      OrgCommands.Update.class,
      OrgCommands.Suspend.class,
      OrgCommands.Resume.class,
      OrgCommands.Delete.class,
      OrgCommands.Vault.class,
      ConnectorCommands.class,
      AccountGroupCommands.class,
      OrgCommands.RotateKey.class,
      OrgCommands.Keys.class
    })
final class OrgCommands {
  static final List<String> COLUMNS = List.of("ID", "SLUG", "NAME", "STATUS", "IDP");

  static List<String> row(JsonObject org) {
    return List.of(
        org.getString("id"),
        org.getString("slug"),
        org.getString("name"),
        org.getString("status"),
        String.valueOf(org.getString("idpProfile")));
  }

  static void print(AdminClient client, JsonObject org) {
    if (client.json()) {
      System.out.println(org.encode());
    } else {
      Table.print(COLUMNS, List.of(row(org)));
    }
  }

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
      client.json();
      JsonObject body = new JsonObject().put("name", name);
      if (slug != null) {
        body.put("slug", slug);
      }
      if (idp != null) {
        body.put("idpProfile", idp);
      }
      print(client, client.post("/orgs", body).body());
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "list", description = "List organisations (every page).")
  static final class ListOrgs implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--status", description = "Only active, suspended or deleting ones.")
    String status;

    @Option(names = "--idp", description = "Only those with this IdP profile.")
    String idp;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonArray all = new JsonArray();
      String cursor = null;
      do {
        StringBuilder q = new StringBuilder("/orgs?limit=200");
        if (status != null) {
          q.append("&status=").append(AdminClient.encode(status));
        }
        if (idp != null) {
          q.append("&idpProfile=").append(AdminClient.encode(idp));
        }
        if (cursor != null) {
          q.append("&cursor=").append(AdminClient.encode(cursor));
        }
        JsonObject page = client.get(q.toString()).body();
        all.addAll(page.getJsonArray("items", new JsonArray()));
        cursor = page.getString("nextCursor");
      } while (cursor != null);
      if (json) {
        System.out.println(new JsonObject().put("items", all).encode());
      } else {
        List<List<String>> rows = new ArrayList<>();
        for (Object o : all) {
          rows.add(row((JsonObject) o));
        }
        Table.print(COLUMNS, rows);
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

  @Command(
      name = "update",
      description = "Change an organisation's name, IdP profile or settings (only what is given).")
  static final class Update implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Option(names = "--name", description = "New display name.")
    String name;

    @Option(names = "--idp", description = "IdP profile.")
    String idp;

    @Option(names = "--rate-limit", description = "Requests per second.")
    Integer rate;

    @Option(names = "--burst", description = "Token bucket size (with --rate-limit).")
    Integer burst;

    @Option(names = "--concurrency", description = "Requests in flight at most.")
    Integer concurrency;

    @Option(names = "--patch-users", description = "PATCH on Users answers 200 or 204.")
    Integer patchUsers;

    @Option(names = "--patch-groups", description = "PATCH on Groups answers 200 or 204.")
    Integer patchGroups;

    @Option(
        names = "--managed-groups",
        description = "all, or a comma-separated list of the group names that sync.")
    String managedGroups;

    @Option(
        names = "--confirmation",
        description = "immediate, or an interval in seconds (at least 30).")
    String confirmation;

    @Option(names = "--hard-delete", description = "What an IdP's DELETE does: suspend or erase.")
    String hardDelete;

    @Option(names = "--settings", description = "Settings as a JSON object (merged).")
    String settingsJson;

    @Override
    public Integer call() {
      client.json();
      JsonObject settings;
      try {
        settings = settingsJson == null ? new JsonObject() : new JsonObject(settingsJson);
      } catch (RuntimeException e) {
        throw new CliException(SwitchboardCli.USAGE, "--settings must be a JSON object");
      }
      if (rate != null || burst != null) {
        JsonObject r = new JsonObject();
        if (rate != null) {
          r.put("requestsPerSecond", rate);
        }
        if (burst != null) {
          r.put("burst", burst);
        }
        settings.put("rateLimit", r);
      }
      if (concurrency != null) {
        settings.put("concurrency", concurrency);
      }
      if (patchUsers != null || patchGroups != null) {
        JsonObject p = new JsonObject();
        if (patchUsers != null) {
          p.put("users", patchUsers);
        }
        if (patchGroups != null) {
          p.put("groups", patchGroups);
        }
        settings.put("patchResponse", p);
      }
      if (managedGroups != null) {
        settings.put(
            "managedGroups",
            managedGroups.equals("all")
                ? new JsonObject().put("mode", "all")
                : new JsonObject()
                    .put("mode", "selected")
                    .put(
                        "groups",
                        new JsonArray(
                            Arrays.stream(managedGroups.split(","))
                                .map(String::strip)
                                .filter(s -> !s.isEmpty())
                                .toList())));
      }
      if (confirmation != null) {
        if (confirmation.equals("immediate")) {
          settings.put("confirmation", new JsonObject().put("mode", "immediate"));
        } else {
          try {
            settings.put(
                "confirmation",
                new JsonObject()
                    .put("mode", "interval")
                    .put("intervalSeconds", Integer.parseInt(confirmation)));
          } catch (NumberFormatException e) {
            throw new CliException(
                SwitchboardCli.USAGE, "--confirmation must be immediate or a number of seconds");
          }
        }
      }
      if (hardDelete != null) {
        settings.put("hardDelete", hardDelete);
      }
      JsonObject body = new JsonObject();
      if (name != null) {
        body.put("name", name);
      }
      if (idp != null) {
        body.put("idpProfile", idp);
      }
      if (!settings.isEmpty()) {
        body.put("settings", settings);
      }
      if (body.isEmpty()) {
        throw new CliException(SwitchboardCli.USAGE, "nothing to change: give at least one option");
      }
      print(client, client.patch("/orgs/" + id, body).body());
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "suspend", description = "Suspend: its tokens get 401 at once, everywhere.")
  static final class Suspend implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      client.json();
      print(client, client.post("/orgs/" + id + "/suspend", null).body());
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "resume", description = "Resume a suspended organisation.")
  static final class Resume implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      client.json();
      print(client, client.post("/orgs/" + id + "/resume", null).body());
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete (crypto-shred): revoke its tokens, delete its session from its store, remove"
              + " its rows. Cannot be undone.")
  static final class Delete implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Option(names = "--yes", description = "Confirm: this cannot be undone.")
    boolean yes;

    @Override
    public Integer call() {
      boolean json = client.json();
      if (!yes) {
        throw new CliException(
            SwitchboardCli.USAGE, "deleting an organisation cannot be undone: add --yes");
      }
      JsonObject report = client.delete("/orgs/" + id).body();
      if (json) {
        System.out.println(report.encode());
      } else {
        JsonObject deleted = report.getJsonObject("deleted", new JsonObject());
        System.out.println("organisation " + id + " is being deleted");
        System.out.printf("  %-22s %s%n", "tokens revoked", deleted.getValue("tokensRevoked"));
        System.out.printf("  %-22s %s%n", "session deleted", deleted.getValue("sessionDeleted"));
        report
            .getJsonObject("removing", new JsonObject())
            .forEach(
                e -> System.out.printf("  %-22s %s%n", "removing " + e.getKey(), e.getValue()));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "rotate-key",
      description =
          "Rotate the account key: new writes use a new key version at once; existing rows are"
              + " re-encrypted in the background, then the old version is dropped. Resumes an"
              + " interrupted rotation. Needs a fleet key.")
  static final class RotateKey implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      boolean json = client.json();
      printKeys(json, client.post("/orgs/" + id + "/keys/rotate", null).body());
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "keys",
      description =
          "Account-key versions: those in the session, rows per version, rotation state. Needs a"
              + " fleet key.")
  static final class Keys implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      boolean json = client.json();
      printKeys(json, client.get("/orgs/" + id + "/keys").body());
      return SwitchboardCli.OK;
    }
  }

  static void printKeys(boolean json, JsonObject status) {
    if (json) {
      System.out.println(status.encode());
      return;
    }
    System.out.printf("%-18s %s%n", "state", status.getString("state"));
    System.out.printf("%-18s %s%n", "current version", status.getValue("currentVersion"));
    System.out.printf("%-18s %s%n", "index version", status.getValue("indexVersion"));
    System.out.printf("%-18s %s%n", "session versions", status.getValue("sessionVersions"));
    System.out.printf("%-18s %s%n", "rows to re-encrypt", status.getValue("rowsToReencrypt"));
    if (status.getString("lastError") != null) {
      System.out.printf("%-18s %s%n", "last error", status.getString("lastError"));
    }
    List<List<String>> rows = new ArrayList<>();
    JsonObject byTable = status.getJsonObject("rowsByTable", new JsonObject());
    byTable.forEach(
        table ->
            ((JsonObject) table.getValue())
                .forEach(
                    e ->
                        rows.add(
                            List.of(table.getKey(), e.getKey(), String.valueOf(e.getValue())))));
    Table.print(List.of("TABLE", "KEY VERSION", "ROWS"), rows);
  }

  @Command(
      name = "vault",
      description = "An organisation's Vault connection.",
      subcommands = {VaultSet.class, VaultTest.class})
  static final class Vault {}

  @Command(
      name = "test",
      description =
          "Test connection: log in to the organisation's Vault and read its session; exits 1 and"
              + " names the failed step (dns, connect, tls, timeout, login, policy, server-error,"
              + " missing-session, invalid-session) when it does not work.")
  static final class VaultTest implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Override
    public Integer call() {
      JsonObject result = client.post("/orgs/" + id + "/vault/test", null).body();
      if (client.json()) {
        System.out.println(result.encode());
      } else {
        System.out.println(
            (result.getBoolean("ok", false) ? "ok" : "FAILED at " + result.getString("step"))
                + ": "
                + result.getString("message")
                + " ("
                + result.getLong("elapsedMillis", 0L)
                + " ms)");
      }
      return result.getBoolean("ok", false) ? SwitchboardCli.OK : SwitchboardCli.FAILED;
    }
  }

  @Command(
      name = "set",
      description =
          "Point an organisation at its Vault. Secrets are read from a file or an environment"
              + " variable, never from the command line.")
  static final class VaultSet implements Callable<Integer> {
    @Mixin AdminClient client;

    @Parameters(index = "0", description = "Organisation id.")
    String id;

    @Option(names = "--address", required = true, description = "https://vault.example:8200")
    String address;

    @Option(names = "--namespace", description = "Vault Enterprise / HCP namespace.")
    String namespace;

    @Option(names = "--mount", defaultValue = "secret", description = "KV v2 mount.")
    String mount;

    @Option(names = "--path", required = true, description = "Path of the session in the mount.")
    String path;

    @Option(names = "--ca-file", description = "PEM file of the CA(s) that sign Vault's TLS.")
    Path caFile;

    @Option(names = "--auth", required = true, description = "jwt, approle or token.")
    String method;

    @Option(names = "--role", description = "JWT role.")
    String role;

    @Option(names = "--role-id", description = "AppRole role id.")
    String roleId;

    @Option(
        names = "--secret-env",
        description = "Environment variable holding the AppRole secret id or the Vault token.")
    String secretEnv;

    @Option(
        names = "--secret-file",
        description = "File holding the AppRole secret id or the Vault token.")
    Path secretFile;

    @Override
    public Integer call() throws IOException {
      client.json();
      JsonObject auth = new JsonObject().put("method", method);
      String secret = null;
      if (secretEnv != null) {
        secret = System.getenv(secretEnv);
      } else if (secretFile != null) {
        secret = Files.readString(secretFile).strip();
      }
      switch (method) {
        case "jwt" -> auth.put("role", role);
        case "approle" -> {
          auth.put("roleId", roleId);
          if (secret != null) {
            auth.put("secretId", secret);
          }
        }
        case "token" -> {
          if (secret != null) {
            auth.put("token", secret);
          }
        }
        default ->
            throw new CliException(SwitchboardCli.USAGE, "--auth must be jwt, approle or token");
      }
      JsonObject vault =
          new JsonObject().put("address", address).put("mount", mount).put("path", path);
      if (namespace != null) {
        vault.put("namespace", namespace);
      }
      if (caFile != null) {
        vault.put("caPem", Files.readString(caFile));
      }
      vault.put("auth", auth);
      JsonObject org = client.patch("/orgs/" + id, new JsonObject().put("vault", vault)).body();
      if (client.json()) {
        System.out.println(org.encode());
      } else {
        System.out.println(
            "vault connection of " + id + ": " + org.getJsonObject("vault").encode());
      }
      return SwitchboardCli.OK;
    }
  }
}
