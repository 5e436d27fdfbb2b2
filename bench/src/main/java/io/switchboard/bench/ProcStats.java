package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time and resident memory of a process, read from {@code /proc} (Linux only). CPU is user +
 * system time in clock ticks; the peak RSS ({@code VmHWM}) is reset between steps by writing 5 to
 * {@code clear_refs}, which the kernel allows for one's own children.
 *
 * <p>Usage: {@code double before = ProcStats.cpuSeconds(pid); ...; ProcStats.cpuSeconds(pid) -
 * before}.
 */
final class ProcStats {
  private static final double TICKS = clockTicks();

  private ProcStats() {}

  /** User + system CPU seconds the process has used so far (its threads included). */
  static double cpuSeconds(long pid) {
    String[] f = statFields(pid);
    if (f == null) {
      return 0;
    }
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
  }

  /**
   * CPU seconds of a PostgreSQL server: the postmaster, its live children (backends, walwriter,
   * checkpointer) and the children it has reaped.
   */
  static double treeCpuSeconds(long rootPid) {
    String[] root = statFields(rootPid);
    if (root == null) {
      return 0;
    }
    double total =
        (Long.parseLong(root[11])
                + Long.parseLong(root[12])
                + Long.parseLong(root[13])
                + Long.parseLong(root[14]))
            / TICKS;
    for (long child : children(rootPid)) {
      total += cpuSeconds(child);
    }
    return total;
  }

  /** Peak resident set in MiB since start or since the last {@link #resetPeakRss}. */
  static double peakRssMiB(long pid) {
    return statusKb(pid, "VmHWM:") / 1024.0;
  }

  static double rssMiB(long pid) {
    return statusKb(pid, "VmRSS:") / 1024.0;
  }

  static void resetPeakRss(long pid) {
    try {
      Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // not permitted here: the peak then covers the whole process life, which the report says
    }
  }

  private static List<Long> children(long pid) {
    List<Long> out = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        Path c = task.resolve("children");
        if (Files.exists(c)) {
          for (String s : Files.readString(c).trim().split("\\s+")) {
            if (!s.isEmpty()) {
              out.add(Long.parseLong(s));
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process is gone
    }
    return out;
  }

  /** Fields after the command name: index 0 is the state (field 3 of proc(5)). */
  private static String[] statFields(long pid) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return s.substring(s.lastIndexOf(')') + 2).split(" ");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long statusKb(long pid, String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  private static double clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Double.parseDouble(out);
    } catch (Exception e) {
      return 100;
    }
  }
}
