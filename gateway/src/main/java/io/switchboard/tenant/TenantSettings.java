package io.switchboard.tenant;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Per-tenant behaviour that must differ by client, set through tenant-admin and stored in {@code
 * tenants.settings}. Everything else is tolerant for every tenant.
 *
 * <p>JSON form (every member optional; what is missing takes its default):
 *
 * <pre>{@code
 * {"patchResponse": {"users": 200, "groups": 204},
 *  "rateLimit": {"requestsPerSecond": 100, "burst": 200},
 *  "concurrency": 16,
 *  "managedGroups": {"mode": "all"} | {"mode": "selected", "groups": ["Engineering"]},
 *  "confirmation": {"mode": "immediate"} | {"mode": "interval", "intervalSeconds": 300},
 *  "hardDelete": "suspend" | "erase"}
 * }</pre>
 *
 * Usage: {@code TenantSettings.parse(json)} (strict, for input) or {@code fromJson(json)} (lenient,
 * for what is already stored).
 *
 * @param patchUserStatus 200 (answer with the resource) or 204 for PATCH on Users
 * @param patchGroupStatus 200 or 204 for PATCH on Groups (Entra advises 204: no member list)
 * @param rateLimit the tenant's token bucket
 * @param concurrency how many of the tenant's requests may run at once
 * @param managedGroups which groups sync
 * @param confirmation when invited users become active
 * @param hardDelete what an IdP's DELETE of a user does
 */
public record TenantSettings(
    int patchUserStatus,
    int patchGroupStatus,
    RateLimit rateLimit,
    int concurrency,
    ManagedGroups managedGroups,
    Confirmation confirmation,
    HardDelete hardDelete,
    MembersReplace membersReplace) {

  public static final int MAX_RATE = 10_000;
  public static final int MAX_BURST = 100_000;
  public static final int MAX_CONCURRENCY = 1_000;
  public static final int MIN_CONFIRMATION_INTERVAL = 30;

  public static final TenantSettings DEFAULTS =
      new TenantSettings(
          200,
          204,
          new RateLimit(100, 200),
          16,
          ManagedGroups.ALL,
          Confirmation.IMMEDIATE,
          HardDelete.SUSPEND,
          MembersReplace.RFC);

  /** The settings with defaults for everything but the PATCH response style. */
  public TenantSettings(int patchUserStatus, int patchGroupStatus) {
    this(
        patchUserStatus,
        patchGroupStatus,
        DEFAULTS.rateLimit,
        DEFAULTS.concurrency,
        DEFAULTS.managedGroups,
        DEFAULTS.confirmation,
        DEFAULTS.hardDelete,
        DEFAULTS.membersReplace);
  }

  /**
   * What {@code replace} on a group's {@code members} does. {@code rfc} (default): the group's
   * members become exactly the given list (RFC 7644 §3.5.2.3). {@code additive}: the given members
   * are added and nobody is removed — for Entra tenants hit by its reported {@code replace} that
   * carries only the newly added members. Either way a replace that would remove most of a group is
   * flagged in the audit log.
   */
  public enum MembersReplace {
    RFC("rfc"),
    ADDITIVE("additive");

    private final String json;

    MembersReplace(String json) {
      this.json = json;
    }

    public String json() {
      return json;
    }
  }

  /** Token bucket: refills {@code requestsPerSecond}, holds at most {@code burst}. */
  public record RateLimit(int requestsPerSecond, int burst) {}

  /** Which groups sync: all of them, or only the named ones. */
  public record ManagedGroups(boolean all, List<String> groups) {
    public static final ManagedGroups ALL = new ManagedGroups(true, List.of());

    public ManagedGroups {
      groups = List.copyOf(groups);
    }

    /** Whether a group with this display name syncs. */
    public boolean manages(String displayName) {
      return all || groups.stream().anyMatch(g -> g.equalsIgnoreCase(displayName));
    }
  }

  /** Invited users become active at once, or on a timer of {@code intervalSeconds} (≥ 30). */
  public record Confirmation(boolean immediate, int intervalSeconds) {
    public static final Confirmation IMMEDIATE = new Confirmation(true, 0);
  }

  /** What an IdP's DELETE of a user does: suspend it (default) or erase it. */
  public enum HardDelete {
    SUSPEND,
    ERASE;

    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Thrown by {@link #parse} with every problem found, each naming its member. */
  public static final class InvalidSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  private static final Set<String> KNOWN =
      Set.of(
          "patchResponse",
          "rateLimit",
          "concurrency",
          "managedGroups",
          "confirmation",
          "hardDelete",
          "membersReplace");

  /** Strict: every member checked, unknown members rejected. */
  public static TenantSettings parse(JsonObject json) {
    List<String> problems = new ArrayList<>();
    TenantSettings s = read(json == null ? new JsonObject() : json, problems);
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    return s;
  }

  /**
   * Lenient: anything missing or wrong takes its default (stored settings never fail a request).
   */
  public static TenantSettings fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULTS;
    }
    return read(json, new ArrayList<>());
  }

  private static TenantSettings read(JsonObject json, List<String> problems) {
    for (String name : json.fieldNames()) {
      if (!KNOWN.contains(name)) {
        problems.add("settings." + name + " is not a known setting");
      }
    }
    JsonObject patch = object(json, "patchResponse", problems);
    int users = patchStatus(patch, "users", DEFAULTS.patchUserStatus, problems);
    int groups = patchStatus(patch, "groups", DEFAULTS.patchGroupStatus, problems);

    JsonObject rate = object(json, "rateLimit", problems);
    int rps =
        integer(
            rate,
            "rateLimit.requestsPerSecond",
            "requestsPerSecond",
            1,
            MAX_RATE,
            DEFAULTS.rateLimit.requestsPerSecond(),
            problems);
    int burst =
        integer(
            rate,
            "rateLimit.burst",
            "burst",
            1,
            MAX_BURST,
            Math.max(rps, DEFAULTS.rateLimit.burst()),
            problems);
    if (rate.containsKey("burst") && burst < rps) {
      problems.add("settings.rateLimit.burst must be at least requestsPerSecond");
    }

    int concurrency =
        integer(
            json, "concurrency", "concurrency", 1, MAX_CONCURRENCY, DEFAULTS.concurrency, problems);

    JsonObject managed = object(json, "managedGroups", problems);
    ManagedGroups managedGroups = ManagedGroups.ALL;
    String mode = string(managed, "managedGroups.mode", "mode", "all", problems);
    if ("selected".equals(mode)) {
      Object list = managed.getValue("groups");
      List<String> names = new ArrayList<>();
      if (list instanceof JsonArray array) {
        for (Object o : array) {
          if (o instanceof String s && !s.isBlank() && s.length() <= 256) {
            names.add(s.strip());
          } else {
            problems.add("settings.managedGroups.groups must hold group names (1 to 256 chars)");
            break;
          }
        }
      } else {
        problems.add("settings.managedGroups.groups is required when mode is selected");
      }
      if (names.size() > 1000) {
        problems.add("settings.managedGroups.groups holds at most 1000 names");
      }
      managedGroups = new ManagedGroups(false, names);
    } else if (!"all".equals(mode)) {
      problems.add("settings.managedGroups.mode must be all or selected");
    }

    JsonObject confirm = object(json, "confirmation", problems);
    Confirmation confirmation = Confirmation.IMMEDIATE;
    String cmode = string(confirm, "confirmation.mode", "mode", "immediate", problems);
    if ("interval".equals(cmode)) {
      int seconds =
          integer(
              confirm,
              "confirmation.intervalSeconds",
              "intervalSeconds",
              MIN_CONFIRMATION_INTERVAL,
              86_400,
              -1,
              problems);
      if (seconds < 0) {
        problems.add(
            "settings.confirmation.intervalSeconds is required when mode is interval (30 to"
                + " 86400)");
        seconds = 300;
      }
      confirmation = new Confirmation(false, seconds);
    } else if (!"immediate".equals(cmode)) {
      problems.add("settings.confirmation.mode must be immediate or interval");
    }

    HardDelete hardDelete = HardDelete.SUSPEND;
    String hd = string(json, "hardDelete", "hardDelete", "suspend", problems);
    switch (hd) {
      case "suspend" -> hardDelete = HardDelete.SUSPEND;
      case "erase" -> hardDelete = HardDelete.ERASE;
      default -> problems.add("settings.hardDelete must be suspend or erase");
    }
    MembersReplace membersReplace = MembersReplace.RFC;
    String mr = string(json, "membersReplace", "membersReplace", "rfc", problems);
    switch (mr) {
      case "rfc" -> membersReplace = MembersReplace.RFC;
      case "additive" -> membersReplace = MembersReplace.ADDITIVE;
      default -> problems.add("settings.membersReplace must be rfc or additive");
    }
    return new TenantSettings(
        users,
        groups,
        new RateLimit(rps, burst),
        concurrency,
        managedGroups,
        confirmation,
        hardDelete,
        membersReplace);
  }

  /** The full JSON form, every member present. */
  public JsonObject toJson() {
    JsonObject managed = new JsonObject().put("mode", managedGroups.all() ? "all" : "selected");
    if (!managedGroups.all()) {
      managed.put("groups", new JsonArray(new ArrayList<>(managedGroups.groups())));
    }
    JsonObject confirm =
        new JsonObject().put("mode", confirmation.immediate() ? "immediate" : "interval");
    if (!confirmation.immediate()) {
      confirm.put("intervalSeconds", confirmation.intervalSeconds());
    }
    return new JsonObject()
        .put(
            "patchResponse",
            new JsonObject().put("users", patchUserStatus).put("groups", patchGroupStatus))
        .put(
            "rateLimit",
            new JsonObject()
                .put("requestsPerSecond", rateLimit.requestsPerSecond())
                .put("burst", rateLimit.burst()))
        .put("concurrency", concurrency)
        .put("managedGroups", managed)
        .put("confirmation", confirm)
        .put("hardDelete", hardDelete.json())
        .put("membersReplace", membersReplace.json());
  }

  private static JsonObject object(JsonObject json, String name, List<String> problems) {
    Object v = json.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    problems.add("settings." + name + " must be an object");
    return new JsonObject();
  }

  private static int patchStatus(JsonObject json, String name, int def, List<String> problems) {
    Object value = json.getValue(name);
    if (value == null) {
      return def;
    }
    if (value instanceof Number n
        && n.doubleValue() == n.intValue()
        && (n.intValue() == 200 || n.intValue() == 204)) {
      return n.intValue();
    }
    problems.add("settings.patchResponse." + name + " must be 200 or 204");
    return def;
  }

  private static int integer(
      JsonObject json, String path, String name, int min, int max, int def, List<String> problems) {
    Object value = json.getValue(name);
    if (value == null) {
      return def;
    }
    if (value instanceof Number n
        && n.doubleValue() == Math.rint(n.doubleValue())
        && n.longValue() >= min
        && n.longValue() <= max) {
      return n.intValue();
    }
    problems.add("settings." + path + " must be an integer from " + min + " to " + max);
    return def;
  }

  private static String string(
      JsonObject json, String path, String name, String def, List<String> problems) {
    Object value = json.getValue(name);
    if (value == null) {
      return def;
    }
    if (value instanceof String s) {
      return s;
    }
    problems.add("settings." + path + " must be a string");
    return def;
  }
}
