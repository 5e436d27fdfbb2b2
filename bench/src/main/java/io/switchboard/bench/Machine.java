package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run was measured on: cores, memory, CPU model, kernel, Java. */
final class Machine {
  private Machine() {}

  static JsonObject describe() {
    return new JsonObject()
        .put("nproc", Runtime.getRuntime().availableProcessors())
        .put("memTotalGiB", Report.round(memKb("MemTotal:") / 1024.0 / 1024.0, 1))
        .put("memAvailableGiBAtStart", Report.round(memKb("MemAvailable:") / 1024.0 / 1024.0, 1))
        .put("cpuModel", cpuModel())
        .put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"))
        .put(
            "java",
            System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.runtime.version")
                + " ("
                + System.getProperty("java.vendor")
                + ")")
        .put("loadAverageAtStart", loadAverage())
        .put(
            "sharedMachine",
            "2 cores shared with other engineers' builds; numbers are noisy, ratios are measured in one run");
  }

  static String oneLine() {
    JsonObject m = describe();
    return m.getInteger("nproc")
        + " cores, "
        + m.getDouble("memTotalGiB")
        + " GiB, "
        + m.getString("java");
  }

  private static long memKb(String key) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith(key)) {
          return Long.parseLong(l.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return 0;
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
