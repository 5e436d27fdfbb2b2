package io.switchboard.bench;

import java.util.Optional;

/** Ends a server JVM when the runner that started it is gone, however the runner ended. */
final class ParentWatch {
  private ParentWatch() {}

  static void exitWithParent() {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      return;
    }
    parent.get().onExit().thenRun(() -> System.exit(0));
  }
}
