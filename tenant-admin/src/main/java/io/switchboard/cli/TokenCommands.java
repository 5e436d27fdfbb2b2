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
    subcommands = {TokenCommands.Issue.class, TokenCommands.Revoke.class})
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
                    issued.getString("id"),
                    String.valueOf(issued.getValue("expiresAt", "never")))));
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
}
