package io.switchboard.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One test method of SAP's compliance suite, written {@code SimpleClassName#method} or, for a
 * parameterized test, {@code SimpleClassName#method(java.lang.String)}: the form the list files
 * under {@code src/test/resources/conformance/} use. JDK types only: the forked suite JVM loads
 * this class next to the suite's own JUnit.
 *
 * <p>Usage: {@code SuiteTestId.readList(path)}; {@code id.methodSelector()}.
 */
public record SuiteTestId(String className, String method, String parameterTypes) {
  /** Every test class of the suite lives in this package. */
  public static final String SUITE_PACKAGE = "com.sap.scimono.scim.system.tests";

  public static SuiteTestId parse(String text) {
    String s = text.strip();
    int hash = s.indexOf('#');
    if (hash <= 0 || hash == s.length() - 1) {
      throw new IllegalArgumentException("not a test id (Class#method): " + text);
    }
    String className = s.substring(0, hash);
    String rest = s.substring(hash + 1);
    int paren = rest.indexOf('(');
    if (paren < 0) {
      return new SuiteTestId(className, rest, "");
    }
    if (!rest.endsWith(")")) {
      throw new IllegalArgumentException("unbalanced parameter list: " + text);
    }
    return new SuiteTestId(
        className, rest.substring(0, paren), rest.substring(paren + 1, rest.length() - 1));
  }

  /** The ids in a list file: one a line, blank lines and {@code #} comments ignored. */
  public static List<SuiteTestId> readList(Path file) {
    try {
      List<SuiteTestId> ids = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        String s = line.strip();
        if (!s.isEmpty() && !s.startsWith("#")) {
          ids.add(parse(s));
        }
      }
      return ids;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The argument to JUnit's {@code DiscoverySelectors.selectMethod(String)}. */
  public String fullyQualifiedMethodName() {
    return SUITE_PACKAGE + "." + className + "#" + method + "(" + parameterTypes + ")";
  }

  /** The key results are compared by: a parameterized method's invocations share it. */
  public String methodKey() {
    return className + "#" + method;
  }

  @Override
  public String toString() {
    return parameterTypes.isEmpty() ? methodKey() : methodKey() + "(" + parameterTypes + ")";
  }
}
