package io.switchboard.cli;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code switchboard token ...}: bearer tokens for an organisation's IdP. */
@Command(
    name = "token",
    description = "Manage an organisation's bearer tokens.",
    subcommands = {
      TokenCommands.Issue.class,
      TokenCommands.ListTokens.class,
      TokenCommands.Rotate.class,
      TokenCommands.Revoke.class
    })
final class TokenCommands {

  @Command(name = "issue", description = "Issue a bearer token (shown once).")
  static final class Issue implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--label", description = "What the token is for, e.g. entra-prod.")
    String label;

    @Option(names = "--expires-in-days", description = "Expiry in days (default: none).")
    Integer expiresInDays;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body = new JsonObject();
      if (label != null) {
        body.put("label", label);
      }
      if (expiresInDays != null) {
        body.put("expiresInDays", expiresInDays);
      }
      JsonObject issued = client.post("/orgs/" + org + "/tokens", body).body();
      if (json) {
        System.out.println(issued.encode());
      } else {
        Table.print(
            List.of("TOKEN ID", "EXPIRES"),
            List.of(
                List.of(
                    issued.getString("id"), FleetCommands.orNever(issued.getValue("expiresAt")))));
        System.out.println();
        System.out.println("SCIM base URL: " + issued.getString("scimUrl"));
        System.out.println("Bearer token (shown once, paste it into the IdP now):");
        System.out.println("  " + issued.getString("token"));
      }
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "revoke", description = "Revoke a token at once, on every gateway instance.")
  static final class Revoke implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--token-id", required = true, description = "Token id.")
    String tokenId;

    @Override
    public Integer call() {
      client.json();
      client.delete("/orgs/" + org + "/tokens/" + tokenId);
      System.out.println("revoked " + tokenId);
      return SwitchboardCli.OK;
    }
  }

  @Command(name = "list", description = "List an organisation's tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject page = client.get("/orgs/" + org + "/tokens").body();
      if (json) {
        System.out.println(page.encode());
        return SwitchboardCli.OK;
      }
      List<List<String>> rows = new java.util.ArrayList<>();
      for (Object o : page.getJsonArray("items", new io.vertx.core.json.JsonArray())) {
        JsonObject t = (JsonObject) o;
        rows.add(
            List.of(
                t.getString("id"),
                t.getString("label", ""),
                t.getString("status"),
                t.getString("createdAt"),
                FleetCommands.orNever(t.getValue("lastUsedAt")),
                FleetCommands.orNever(t.getValue("expiresAt"))));
      }
      Table.print(List.of("TOKEN ID", "LABEL", "STATUS", "CREATED", "LAST USED", "EXPIRES"), rows);
      return SwitchboardCli.OK;
    }
  }

  @Command(
      name = "rotate",
      description =
          "Issue a successor (shown once); the old token keeps working for the overlap, then"
              + " expires.")
  static final class Rotate implements Callable<Integer> {
    @Mixin AdminClient client;

    @Option(names = "--org", required = true, description = "Organisation id.")
    String org;

    @Option(names = "--token-id", required = true, description = "The token to replace.")
    String tokenId;

    @Option(
        names = "--overlap",
        defaultValue = "24h",
        description =
            "How long the old token keeps working: 0, 90s, 30m, 24h, 7d (default: ${DEFAULT-VALUE}).")
    String overlap;

    @Option(names = "--expires-in-days", description = "Expiry of the new token (default: none).")
    Integer expiresInDays;

    @Override
    public Integer call() {
      boolean json = client.json();
      JsonObject body = new JsonObject().put("overlapSeconds", seconds(overlap));
      if (expiresInDays != null) {
        body.put("expiresInDays", expiresInDays);
      }
      JsonObject issued =
          client.post("/orgs/" + org + "/tokens/" + tokenId + "/rotate", body).body();
      if (json) {
        System.out.println(issued.encode());
      } else {
        Table.print(
            List.of("NEW TOKEN ID", "REPLACES", "OLD TOKEN EXPIRES"),
            List.of(
                List.of(
                    issued.getString("id"),
                    issued.getString("replaces"),
                    issued.getString("oldExpiresAt"))));
        System.out.println();
        System.out.println(
            "New bearer token (shown once; put it in the IdP before the old expires):");
        System.out.println("  " + issued.getString("token"));
      }
      return SwitchboardCli.OK;
    }

    static long seconds(String text) {
      String t = text.strip().toLowerCase(java.util.Locale.ROOT);
      try {
        if (t.equals("0")) {
          return 0;
        }
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 's' -> n;
          case 'm' -> n * 60;
          case 'h' -> n * 3600;
          case 'd' -> n * 86400;
          default -> throw new NumberFormatException();
        };
      } catch (RuntimeException e) {
        throw new CliException(
            SwitchboardCli.USAGE, "--overlap must look like 0, 90s, 30m, 24h or 7d");
      }
    }
  }
}
