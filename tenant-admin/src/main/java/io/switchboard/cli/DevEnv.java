package io.switchboard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code KEY=value} file {@code switchboard dev} writes ({@code .switchboard/dev.env}), which
 * the CLI falls back to when {@code SWITCHBOARD_ADMIN_URL}/{@code _TOKEN} are not set. Load it into
 * a shell with {@code set -a; . .switchboard/dev.env; set +a}.
 */
final class DevEnv {
  private DevEnv() {}

  static Map<String, String> read(Path file) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return values;
    }
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
          continue;
        }
        if (l.startsWith("export ")) {
          l = l.substring(7);
        }
        int eq = l.indexOf('=');
        values.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
      }
    } catch (IOException e) {
      // unreadable: behave as if absent
    }
    return values;
  }

  static void write(Path file, Map<String, String> values) throws IOException {
    StringBuilder b = new StringBuilder("# written by `switchboard dev`; secrets: keep private\n");
    values.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, b.toString());
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }
}
