package io.switchboard.conformance;

import io.switchboard.conformance.SuiteReport.Outcome;
import io.switchboard.conformance.SuiteReport.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Judges the suite's runs against the lists in {@code src/test/resources/conformance/}: every test
 * of the suite jar is either run ({@code tests*.txt}) or excluded with a reason ({@code
 * excluded.md}); every run test passes unless {@code known-failures.txt} names it, and every test
 * that file names still fails (so the list shrinks as the gateway is fixed).
 *
 * <p>Usage: {@code SuiteVerdict.judge(listed, excluded, knownFailures, inventory, outcomes)}, then
 * {@code verdict.problems()}, {@code verdict.summary()} and {@code verdict.failing()} (every
 * failing test with its first message line, in the form of {@code known-failures.txt}).
 */
public record SuiteVerdict(List<String> problems, String summary, List<String> failing) {

  /** The ids in {@code excluded.md}: the first {@code `code`} of each table row. */
  public static List<SuiteTestId> readExcluded(Path markdown) {
    List<SuiteTestId> ids = new ArrayList<>();
    for (String line : lines(markdown)) {
      String s = line.strip();
      if (s.startsWith("| `")) {
        int end = s.indexOf('`', 3);
        ids.add(SuiteTestId.parse(s.substring(3, end)));
      }
    }
    return ids;
  }

  /** {@code known-failures.txt}: a method key, then what is wrong; {@code #} lines are comments. */
  public static Map<String, String> readKnownFailures(Path file) {
    Map<String, String> known = new TreeMap<>();
    for (String line : lines(file)) {
      String s = line.strip();
      if (!s.isEmpty() && !s.startsWith("#")) {
        String[] parts = s.split("\\s+", 2);
        known.put(SuiteTestId.parse(parts[0]).methodKey(), parts.length > 1 ? parts[1] : "");
      }
    }
    return known;
  }

  public static SuiteVerdict judge(
      Collection<SuiteTestId> listed,
      Collection<SuiteTestId> excluded,
      Map<String, String> knownFailures,
      Collection<String> inventory,
      Collection<Outcome> outcomes) {
    List<String> problems = new ArrayList<>();

    Set<String> accounted = new TreeSet<>();
    listed.forEach(id -> accounted.add(id.toString()));
    for (SuiteTestId id : excluded) {
      if (!accounted.add(id.toString())) {
        problems.add(id + " is both run and excluded");
      }
    }
    for (String id : inventory) {
      if (!accounted.contains(id)) {
        problems.add(id + " is in the suite but neither run nor excluded");
      }
    }
    for (String id : accounted) {
      if (!inventory.contains(id)) {
        problems.add(id + " is listed but not in the suite");
      }
    }

    Map<String, List<Outcome>> byMethod = new LinkedHashMap<>();
    listed.forEach(id -> byMethod.put(id.methodKey(), new ArrayList<>()));
    for (Outcome o : outcomes) {
      byMethod.computeIfAbsent(o.methodKey(), k -> new ArrayList<>()).add(o);
    }
    Map<String, List<Outcome>> failing = new TreeMap<>();
    int passed = 0;
    for (var e : byMethod.entrySet()) {
      List<Outcome> bad = e.getValue().stream().filter(o -> o.status() != Status.PASSED).toList();
      if (e.getValue().isEmpty()) {
        failing.put(
            e.getKey(),
            List.of(new Outcome(e.getKey(), e.getKey(), Status.SKIPPED, "did not run")));
      } else if (!bad.isEmpty()) {
        failing.put(e.getKey(), bad);
      } else {
        passed++;
      }
    }
    Set<String> listedKeys = byMethod.keySet();
    for (String key : knownFailures.keySet()) {
      if (!listedKeys.contains(key)) {
        problems.add(key + " is a known failure but is not run");
      } else if (!failing.containsKey(key)) {
        problems.add(key + " passes now: take it off known-failures.txt");
      }
    }
    StringBuilder unexpected = new StringBuilder();
    StringBuilder known = new StringBuilder();
    for (var e : failing.entrySet()) {
      StringBuilder into = knownFailures.containsKey(e.getKey()) ? known : unexpected;
      into.append("  ").append(e.getKey()).append('\n');
      for (Outcome o : e.getValue()) {
        into.append("      ")
            .append(o.status())
            .append(' ')
            .append(o.name())
            .append(": ")
            .append(firstLines(o.message(), 3))
            .append('\n');
      }
      if (!knownFailures.containsKey(e.getKey())) {
        problems.add(e.getKey() + " fails");
      }
    }

    long executed = outcomes.stream().filter(o -> o.status() != Status.SKIPPED).count();
    String summary =
        "SAP SCIM compliance suite: "
            + inventory.size()
            + " test methods in the jar, "
            + excluded.size()
            + " excluded (excluded.md), "
            + listedKeys.size()
            + " run ("
            + executed
            + " executions), "
            + passed
            + " passing, "
            + (failing.size() - countUnexpected(failing, knownFailures))
            + " known failures, "
            + countUnexpected(failing, knownFailures)
            + " unexpected failures\n"
            + (unexpected.isEmpty() ? "" : "Unexpected failures:\n" + unexpected)
            + (known.isEmpty() ? "" : "Known failures (known-failures.txt):\n" + known)
            + (problems.isEmpty()
                ? ""
                : "Problems:\n"
                    + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"))
                    + "\n");
    List<String> failingLines =
        failing.entrySet().stream()
            .map(e -> e.getKey() + "  " + firstLines(e.getValue().get(0).message(), 1))
            .toList();
    return new SuiteVerdict(List.copyOf(problems), summary, failingLines);
  }

  private static long countUnexpected(
      Map<String, List<Outcome>> failing, Map<String, String> known) {
    return failing.keySet().stream().filter(k -> !known.containsKey(k)).count();
  }

  private static String firstLines(String text, int n) {
    return text.lines().limit(n).map(String::strip).collect(Collectors.joining(" / "));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
