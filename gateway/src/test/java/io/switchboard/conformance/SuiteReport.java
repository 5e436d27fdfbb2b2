package io.switchboard.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The outcome of one suite run, read from the JUnit XML its launcher wrote: one {@link Outcome} per
 * executed test (a parameterized method or a test factory has one per invocation).
 *
 * <p>Usage: {@code SuiteReport.read(reportsDir).outcomes()}.
 */
public record SuiteReport(List<Outcome> outcomes) {
  /** What happened to one test. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  /**
   * @param methodKey {@code SimpleClassName#method}, as in the list files
   * @param name the name JUnit reported, e.g. {@code testGetUserIllegalId400(String)[2]}
   * @param message the failure or skip message, empty when passed
   */
  public record Outcome(String methodKey, String name, Status status, String message) {}

  public static SuiteReport read(Path reportsDir) {
    List<Path> files;
    try (Stream<Path> s = Files.list(reportsDir)) {
      files = s.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("the suite wrote no JUnit XML into " + reportsDir);
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Path file : files) {
      outcomes.addAll(parse(file));
    }
    return new SuiteReport(List.copyOf(outcomes));
  }

  private static List<Outcome> parse(Path file) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var doc = factory.newDocumentBuilder().parse(file.toFile());
      NodeList cases = doc.getElementsByTagName("testcase");
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < cases.getLength(); i++) {
        Element testcase = (Element) cases.item(i);
        String className = testcase.getAttribute("classname");
        String simpleClass = className.substring(className.lastIndexOf('.') + 1);
        String name = testcase.getAttribute("name");
        int paren = name.indexOf('(');
        String method = paren < 0 ? name : name.substring(0, paren);
        Element problem = firstChild(testcase, "failure", "error");
        Element skipped = firstChild(testcase, "skipped");
        Status status =
            problem != null ? Status.FAILED : skipped != null ? Status.SKIPPED : Status.PASSED;
        Element detail = problem != null ? problem : skipped;
        outcomes.add(new Outcome(simpleClass + "#" + method, name, status, message(detail)));
      }
      return outcomes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static Element firstChild(Element parent, String... names) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && List.of(names).contains(e.getTagName())) {
        return e;
      }
    }
    return null;
  }

  private static String message(Element detail) {
    if (detail == null) {
      return "";
    }
    String message = detail.getAttribute("message");
    if (message.isBlank()) {
      message = detail.getTextContent();
    }
    return message == null ? "" : message.strip();
  }
}
