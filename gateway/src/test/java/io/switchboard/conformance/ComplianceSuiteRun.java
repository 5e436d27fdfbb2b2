package io.switchboard.conformance;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of SAP's compliance suite in a separate JVM ({@link ComplianceSuiteLauncher} on the
 * suite's shaded jar) against one tenant of a live gateway. The suite's settings go in as {@code
 * -D} system properties; its output, its log and its JUnit XML land in the run's directory.
 *
 * <p>Usage: {@code ComplianceSuiteRun.start(settings).await(timeout)}, then {@code
 * SuiteReport.read(run.reportsDir())}.
 */
public final class ComplianceSuiteRun {
  private final Settings settings;
  private final Process process;

  private ComplianceSuiteRun(Settings settings, Process process) {
    this.settings = settings;
    this.process = process;
  }

  /**
   * @param suiteJar the suite's shaded jar
   * @param testList the list of tests to run ({@link SuiteTestId} a line)
   * @param runDir where the run writes its output, log and reports
   * @param properties the suite's system properties ({@code scim.service.url}, {@code oauth.*} ...)
   */
  public record Settings(
      String name, Path suiteJar, Path testList, Path runDir, Map<String, String> properties) {}

  public static ComplianceSuiteRun start(Settings settings) {
    try {
      Path runDir = Files.createDirectories(settings.runDir());
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      List<String> command = new ArrayList<>();
      command.add(java.toString());
      command.add("-Xmx512m");
      command.add("-XX:+UseSerialGC");
      command.add("-XX:TieredStopAtLevel=1");
      // Jersey sends PATCH through HttpURLConnection by setting its method field reflectively
      command.add("--add-opens=java.base/java.net=ALL-UNNAMED");
      command.add("--add-opens=java.base/sun.net.www.protocol.http=ALL-UNNAMED");
      settings.properties().forEach((k, v) -> command.add("-D" + k + "=" + v));
      command.add(
          "-Dlogback.configurationFile=" + ownClasses().resolve("conformance/logback-suite.xml"));
      command.add("-Dsuite.log.file=" + runDir.resolve("suite.log"));
      command.add("-cp");
      // the suite's jar first: it brings its own JUnit, which must win over anything else
      command.add(settings.suiteJar() + File.pathSeparator + ownClasses());
      command.add(ComplianceSuiteLauncher.class.getName());
      command.add(settings.testList().toString());
      command.add(reportsDir(runDir).toString());
      Process process =
          new ProcessBuilder(command)
              .directory(runDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(runDir.resolve("launcher.out").toFile())
              .start();
      return new ComplianceSuiteRun(settings, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the run to end; a run that overstays is killed and reported. */
  public ComplianceSuiteRun await(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "suite run '"
              + settings.name()
              + "' did not finish within "
              + timeout
              + " "
              + unit
              + "; see "
              + settings.runDir().resolve("launcher.out"));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "suite run '"
              + settings.name()
              + "' exited with "
              + process.exitValue()
              + ":\n"
              + tail(settings.runDir().resolve("launcher.out"), 40));
    }
    return this;
  }

  public Settings settings() {
    return settings;
  }

  public Path reportsDir() {
    return reportsDir(settings.runDir());
  }

  /** Every test method the suite jar contains, as the run's launcher found them. */
  public List<String> inventory() {
    try {
      return Files.readAllLines(reportsDir().resolve("all-tests.txt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path reportsDir(Path runDir) {
    return runDir.resolve("reports");
  }

  /** The directory this class was loaded from (target/test-classes): the launcher's classpath. */
  private static Path ownClasses() {
    try {
      return Path.of(
          ComplianceSuiteRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
