package io.switchboard.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code switchboard} command: runs the services ({@code dev}, {@code gateway}, {@code admin},
 * {@code migrate}) and drives tenant-admin ({@code org}, {@code token}, {@code admin-key}, {@code
 * fleet status} / {@code status}, {@code audit}).
 *
 * <p>Exit codes scripts can rely on: 0 success, 1 the operation failed (the API said no), 2 bad
 * usage, 3 cannot reach tenant-admin or not authorised.
 */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = SwitchboardCli.Version.class,
    description = "Multi-tenant SCIM 2.0 provisioning gateway.",
    subcommands = {
      DevCommand.class,
      ServeCommands.Gateway.class,
      ServeCommands.Admin.class,
      ServeCommands.Migrate.class,
      HealthcheckCommand.class,
      OrgCommands.class,
      TokenCommands.class,
      EventCommands.class,
      WebhookCommands.class,
      AdminKeyCommands.class,
      FleetCommands.Fleet.class,
      FleetCommands.Status.class,
      FleetCommands.Audit.class,
      CommandLine.HelpCommand.class
    })
public final class SwitchboardCli {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI without exiting (tests drive it this way). */
  public static int run(String... args) {
    return new CommandLine(new SwitchboardCli())
        .setExitCodeExceptionMapper(
            e ->
                e instanceof CliException c
                    ? c.exitCode()
                    : e instanceof CommandLine.ParameterException ? USAGE : FAILED)
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              if (e instanceof CliException c) {
                cmd.getErr().println("error: " + c.getMessage());
                return c.exitCode();
              }
              cmd.getErr().println("error: " + e.getMessage());
              return FAILED;
            })
        .execute(args);
  }

  /** The version from the jar manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SwitchboardCli.class.getPackage().getImplementationVersion();
      return new String[] {"switchboard " + (v == null ? "dev" : v)};
    }
  }
}
