package io.switchboard.conformance;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * The main class of the forked JVM that runs SAP's compliance suite: its classpath is the suite's
 * shaded jar (which brings its own JUnit) and this class. The suite's own {@code TestsLauncher}
 * selects methods by name only and so cannot select its parameterized tests; this launcher selects
 * each listed method by signature and otherwise does what {@code TestsLauncher} does (extension
 * autodetection on, JUnit XML through the legacy XML listener).
 *
 * <p>Writes into {@code reports-dir}: {@code TEST-junit-jupiter.xml} and {@code all-tests.txt}, the
 * inventory of every test method the suite jar contains. The suite reads its settings ({@code
 * scim.service.url}, {@code auth.type}, {@code oauth.*}) from system properties.
 *
 * <p>Usage: {@code java -cp suite.jar:test-classes
 * io.switchboard.conformance.ComplianceSuiteLauncher tests.txt reports-dir}
 */
public final class ComplianceSuiteLauncher {
  private ComplianceSuiteLauncher() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: ComplianceSuiteLauncher <tests list> <reports dir>");
      System.exit(2);
    }
    List<SuiteTestId> tests = SuiteTestId.readList(Path.of(args[0]));
    Path reports = Files.createDirectories(Path.of(args[1]));

    // Loading the suite's launcher routes java.util.logging (Jersey's request and response log)
    // to SLF4J, as a run through the suite's own main would.
    Class.forName("com.sap.scimono.scim.system.tests.launcher.TestsLauncher");

    Launcher launcher = LauncherFactory.create();
    writeInventory(launcher, reports.resolve("all-tests.txt"));

    List<DiscoverySelector> selectors =
        tests.stream()
            .map(
                id ->
                    (DiscoverySelector)
                        DiscoverySelectors.selectMethod(id.fullyQualifiedMethodName()))
            .toList();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectors)
            .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
            .build();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    PrintWriter out = new PrintWriter(System.out, true);
    launcher.execute(
        request,
        new LegacyXmlReportGeneratingListener(reports, out),
        summary,
        new ProgressListener(out));
    summary.getSummary().printTo(out);
    out.flush();
  }

  /** Every test method in the suite's package, one id a line, sorted. */
  private static void writeInventory(Launcher launcher, Path file) throws Exception {
    TestPlan plan =
        launcher.discover(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectPackage(SuiteTestId.SUITE_PACKAGE))
                .build());
    TreeSet<String> ids = new TreeSet<>();
    for (TestIdentifier root : plan.getRoots()) {
      for (TestIdentifier d : plan.getDescendants(root)) {
        if (d.getSource().orElse(null) instanceof MethodSource m) {
          String simple = m.getClassName().substring(SuiteTestId.SUITE_PACKAGE.length() + 1);
          ids.add(
              new SuiteTestId(simple, m.getMethodName(), m.getMethodParameterTypes()).toString());
        }
      }
    }
    Files.write(file, ids);
  }

  /** One line per finished test, so the run's log shows where it is. */
  private record ProgressListener(PrintWriter out) implements TestExecutionListener {
    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest()) {
        out.println(result.getStatus() + " " + id.getLegacyReportingName());
      } else if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        // a failed container (a @BeforeAll, a parameterized test's name pattern) has no testcase
        out.println(
            "CONTAINER "
                + result.getStatus()
                + " "
                + id.getLegacyReportingName()
                + ": "
                + result.getThrowable().map(Throwable::toString).orElse(""));
      }
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
      out.println("SKIPPED " + id.getLegacyReportingName() + ": " + reason);
    }
  }
}
