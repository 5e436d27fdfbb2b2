package io.switchboard.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code switchboard org connector ...}: an organisation's provisioning source. The service account
 * key is read from a file and sent once to tenant-admin, which writes it to the organisation's own
 * secrets store; it is never printed.
 */
@Command(
    name = "connector",
    description = "Manage an organisation's pull connector (Google Workspace).",
    subcommands = {
      ConnectorCommands.Set.class,
      ConnectorCommands.Test.class,
      ConnectorCommands.Sync.class,
      ConnectorCommands.Status.class
    })
final class ConnectorCommands {

  @Command(
      name = "set",
      description = "Set the source: google-workspace (with credentials) or scim-push.")
  static final class Set implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(
        names = "--source",
        defaultValue = "google-workspace",
        description = "google-workspace or scim-push (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--key-file", description = "The service account's JSON key file.")
    Path keyFile;

    @Option(names = "--admin-subject", description = "Workspace administrator to act as.")
    String adminSubject;

    @Option(names = "--customer-id", description = "Customer id (default: my_customer).")
    String customerId;

    @Option(names = "--domain", description = "Domain, instead of the customer id.")
    String domain;

    @Option(
        names = "--group",
        description = "A group to sync (email or id); repeat for several. None: every user.")
    List<String> groups;

    @Option(
        names = "--interval",
        defaultValue = "3600",
        description = "Seconds between syncs, 60 to 604800 (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(
        names = "--removal-policy",
        defaultValue = "suspend",
        description = "suspend or delete users who leave (default: ${DEFAULT-VALUE}).")
    String removalPolicy;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body =
          new JsonObject()
              .put("source", source)
              .put("intervalSeconds", interval)
              .put("removalPolicy", removalPolicy);
      if (!"scim-push".equals(source)) {
        if (keyFile == null || adminSubject == null) {
          throw new CliException(
              SwitchboardCli.USAGE, "--key-file and --admin-subject are required for " + source);
        }
        JsonObject key;
        try {
          key = new JsonObject(Files.readString(keyFile));
        } catch (IOException e) {
          throw new CliException(SwitchboardCli.USAGE, "cannot read --key-file " + keyFile);
        } catch (RuntimeException e) {
          throw new CliException(SwitchboardCli.USAGE, "--key-file is not a JSON key file");
        }
        JsonObject settings =
            new JsonObject().put("serviceAccountKey", key).put("adminSubject", adminSubject);
        if (customerId != null) {
          settings.put("customerId", customerId);
        }
        if (domain != null) {
          settings.put("domain", domain);
        }
        settings.put("groups", new JsonArray(groups == null ? List.of() : List.copyOf(groups)));
        body.put("settings", settings);
      }
      JsonObject result = client.put("/orgs/" + org + "/connector", body).body();
      print(json, result);
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "test", description = "Check key, token exchange, scopes, subject and groups.")
  static final class Test implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject check = client.post("/orgs/" + org + "/connector/test", new JsonObject()).body();
      if (json) {
        System.out.println(check.encode());
      } else {
        for (Object o : check.getJsonArray("steps", new JsonArray())) {
          JsonObject s = (JsonObject) o;
          System.out.printf(
              "%-4s %-28s %s%s%n",
              s.getBoolean("ok") ? "ok" : "FAIL",
              s.getString("name"),
              s.getString("code") == null ? "" : "[" + s.getString("code") + "] ",
              s.getString("message"));
        }
      }
      return check.getBoolean("ok", false) ? SwitchboardCli.OK : SwitchboardCli.FAILED;
    }
  }

  @Command(name = "sync", description = "Run a sync now and wait for it.")
  static final class Sync implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject report = client.post("/orgs/" + org + "/connector/sync", new JsonObject()).body();
      print(json, report);
      return "succeeded".equals(report.getString("status"))
          ? SwitchboardCli.OK
          : SwitchboardCli.FAILED;
    }
  }

  @Command(name = "status", description = "Source, schedule and the last sync.")
  static final class Status implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      print(json, client.get("/orgs/" + org + "/connector/status").body());
      return SwitchboardCli.OK;
    }
  }

  private static void print(boolean json, JsonObject body) {
    if (json) {
      System.out.println(body.encode());
    } else {
      body.forEach(e -> System.out.printf("%-20s %s%n", e.getKey(), e.getValue()));
    }
  }
}
