package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of one run: measured rows (one per scenario step and system), findings per target,
 * and the machine. Printed as one table and written as JSON.
 *
 * <p>Usage: {@code report.add(row); report.target("S1 ≥ 0.7× floor", "0.82", true); report.print();
 * report.write(dir)}.
 */
final class Report {
  /** One measured step. Latencies in ms; CPU in seconds per 1,000 requests; RSS in MiB. */
  record Row(
      String scenario,
      String system,
      String load,
      long requests,
      long errors,
      double rps,
      double p50,
      double p99,
      double p999,
      double cpuPer1k,
      double dbCpuPer1k,
      double peakRssMiB,
      Double ratio,
      JsonObject extra) {

    Row withRatio(Double r) {
      return new Row(
          scenario,
          system,
          load,
          requests,
          errors,
          rps,
          p50,
          p99,
          p999,
          cpuPer1k,
          dbCpuPer1k,
          peakRssMiB,
          r,
          extra);
    }

    JsonObject toJson() {
      JsonObject o =
          new JsonObject()
              .put("scenario", scenario)
              .put("system", system)
              .put("load", load)
              .put("requests", requests)
              .put("errors", errors)
              .put("requestsPerSecond", round(rps, 1))
              .put("p50Ms", round(p50, 3))
              .put("p99Ms", round(p99, 3))
              .put("p999Ms", round(p999, 3))
              .put("cpuSecondsPer1000", round(cpuPer1k, 4))
              .put("dbCpuSecondsPer1000", round(dbCpuPer1k, 4))
              .put("peakRssMiB", round(peakRssMiB, 1))
              .put("gatewayOverFloor", ratio == null ? null : round(ratio, 3));
      if (extra != null && !extra.isEmpty()) {
        o.put("extra", extra);
      }
      return o;
    }
  }

  record Target(String target, String measured, String verdict) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Target> targets = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final JsonObject meta;

  Report(JsonObject meta) {
    this.meta = meta;
  }

  synchronized Row add(Row row) {
    rows.add(row);
    System.out.println("  " + line(row));
    return row;
  }

  synchronized void target(String target, String measured, String verdict) {
    targets.add(new Target(target, measured, verdict));
    System.out.println("  target: " + target + " -> " + measured + " [" + verdict + "]");
  }

  synchronized void note(String note) {
    notes.add(note);
    System.out.println("  note: " + note);
  }

  List<Row> rows() {
    return rows;
  }

  private static final String HEADER =
      String.format(
          Locale.ROOT,
          "%-34s %-8s %10s %9s %9s %9s %7s %8s %8s %8s %9s",
          "scenario",
          "system",
          "req/s",
          "p50 ms",
          "p99 ms",
          "p99.9 ms",
          "errors",
          "cpu s/1k",
          "db s/1k",
          "RSS MiB",
          "gw/floor");

  static String line(Row r) {
    return String.format(
        Locale.ROOT,
        "%-34s %-8s %10.1f %9.2f %9.2f %9.2f %7d %8.3f %8.3f %8.0f %9s",
        r.scenario(),
        r.system(),
        r.rps(),
        r.p50(),
        r.p99(),
        r.p999(),
        r.errors(),
        r.cpuPer1k(),
        r.dbCpuPer1k(),
        r.peakRssMiB(),
        r.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", r.ratio()));
  }

  synchronized String table() {
    StringBuilder b = new StringBuilder();
    b.append(HEADER).append('\n').append("-".repeat(HEADER.length())).append('\n');
    for (Row r : rows) {
      b.append(line(r)).append('\n');
    }
    if (!targets.isEmpty()) {
      b.append('\n').append("targets:\n");
      for (Target t : targets) {
        b.append(
            String.format(Locale.ROOT, "  [%s] %s: %s%n", t.verdict(), t.target(), t.measured()));
      }
    }
    if (!notes.isEmpty()) {
      b.append('\n').append("notes:\n");
      for (String n : notes) {
        b.append("  - ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  synchronized JsonObject toJson() {
    JsonArray rs = new JsonArray();
    rows.forEach(r -> rs.add(r.toJson()));
    JsonArray ts = new JsonArray();
    targets.forEach(
        t ->
            ts.add(
                new JsonObject()
                    .put("target", t.target())
                    .put("measured", t.measured())
                    .put("verdict", t.verdict())));
    return meta.copy().put("results", rs).put("targets", ts).put("notes", new JsonArray(notes));
  }

  Path write(Path dir, String stamp) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(stamp + ".json");
      Files.writeString(file, toJson().encodePrettily() + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return 0;
    }
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
