package io.switchboard.lifecycle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The lifecycle part of a tenant's settings ({@code tenants.settings}, written by tenant-admin's
 * settings endpoint), read leniently: a missing or malformed key means its default.
 *
 * <pre>
 * "confirmation":  "immediate" (default) | {"mode": "interval", "intervalSeconds": 30..}
 *                  (also accepted: {"mode": "immediate"}, "interval" with the minimum)
 * "hardDelete":    "suspend" (default) | "erase"   (also {"mode": ...})
 * "managedGroups": "all" (default) | {"mode": "selected", "groups": ["Engineering", ...]}
 * </pre>
 *
 * <p>Usage: {@code LifecyclePolicy.fromSettings(json).confirmationDelay()}.
 */
public record LifecyclePolicy(
    Duration confirmationDelay, boolean eraseOnDelete, boolean allGroups, Set<String> groups) {

  /** The shortest confirmation interval a tenant may choose. */
  public static final Duration MINIMUM_INTERVAL = Duration.ofSeconds(30);

  public static final LifecyclePolicy DEFAULTS =
      new LifecyclePolicy(Duration.ZERO, false, true, Set.of());

  public boolean immediateConfirmation() {
    return confirmationDelay.isZero();
  }

  /** Whether a group with this displayName is applied downstream. */
  public boolean manages(String displayName) {
    return allGroups || (displayName != null && groups.contains(normalise(displayName)));
  }

  public static LifecyclePolicy fromSettings(JsonObject settings) {
    if (settings == null) {
      return DEFAULTS;
    }
    return new LifecyclePolicy(
        confirmation(settings.getValue("confirmation")),
        "erase".equals(mode(settings.getValue("hardDelete"))),
        !"selected".equals(mode(settings.getValue("managedGroups"))),
        selected(settings.getValue("managedGroups")));
  }

  private static Duration confirmation(Object value) {
    if (!"interval".equals(mode(value))) {
      return Duration.ZERO;
    }
    long seconds = MINIMUM_INTERVAL.toSeconds();
    if (value instanceof JsonObject o) {
      Object v = o.getValue("intervalSeconds", o.getValue("seconds"));
      if (v instanceof Number n) {
        seconds = n.longValue();
      } else if (v instanceof String s) {
        try {
          seconds = Duration.parse("PT" + s.toUpperCase(Locale.ROOT)).toSeconds();
        } catch (RuntimeException ignored) {
          // keep the minimum
        }
      }
    }
    return Duration.ofSeconds(Math.max(seconds, MINIMUM_INTERVAL.toSeconds()));
  }

  private static String mode(Object value) {
    if (value instanceof String s) {
      return s.strip().toLowerCase(Locale.ROOT);
    }
    if (value instanceof JsonObject o && o.getValue("mode") instanceof String s) {
      return s.strip().toLowerCase(Locale.ROOT);
    }
    return "";
  }

  private static Set<String> selected(Object value) {
    Set<String> out = new TreeSet<>();
    if (value instanceof JsonObject o) {
      Object list = o.getValue("groups", o.getValue("selected"));
      if (list instanceof JsonArray arr) {
        for (Object name : arr) {
          if (name instanceof String s && !s.isBlank()) {
            out.add(normalise(s));
          }
        }
      }
    }
    return Set.copyOf(out);
  }

  static String normalise(String displayName) {
    return displayName.strip().toLowerCase(Locale.ROOT);
  }
}
