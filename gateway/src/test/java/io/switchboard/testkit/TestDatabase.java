package io.switchboard.testkit;

import io.switchboard.migrations.DatabaseUrl;
import io.switchboard.migrations.EmbeddedDatabase;
import io.switchboard.migrations.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * One real, embedded PostgreSQL 17 per test JVM, migrated, started on first use and stopped at JVM
 * exit. Tests never share data: each creates its own tenants.
 *
 * <p>Usage: {@code TestDatabase.get().appUrl()}.
 */
public final class TestDatabase {
  public static final String APP_ROLE = "switchboard_app";
  private static TestDatabase instance;
  private static final java.util.List<Runnable> BEFORE_STOP =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Runs {@code action} at JVM exit before the database stops (servers first, then data). */
  public static void beforeStop(Runnable action) {
    BEFORE_STOP.add(0, action);
  }

  private final EmbeddedDatabase embedded;
  private final String appPassword;

  private TestDatabase(EmbeddedDatabase embedded, String appPassword) {
    this.embedded = embedded;
    this.appPassword = appPassword;
  }

  public static synchronized TestDatabase get() {
    if (instance == null) {
      try {
        EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("sb-test-pg"), 0);
        String password = "test-" + UUID.randomUUID();
        Migrations.apply(db.ownerUrl(), APP_ROLE, password);
        instance = new TestDatabase(db, password);
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      for (Runnable r : BEFORE_STOP) {
                        try {
                          r.run();
                        } catch (RuntimeException ignored) {
                          // best effort at exit
                        }
                      }
                      db.close();
                    },
                    "test-postgres-stop"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The owner (superuser) URL: migrations and test inspection from below only. */
  public DatabaseUrl ownerUrl() {
    return embedded.ownerUrl();
  }

  /** The service role URL: what the services use, subject to row-level security. */
  public DatabaseUrl appUrl() {
    return embedded.ownerUrl().withCredentials(APP_ROLE, appPassword);
  }

  public String appPassword() {
    return appPassword;
  }

  public EmbeddedDatabase embedded() {
    return embedded;
  }

  /** The owner URL as SWITCHBOARD_DATABASE_URL would carry it. */
  public String ownerUrlString() {
    DatabaseUrl u = ownerUrl();
    return "postgresql://" + u.user() + "@" + u.host() + ":" + u.port() + "/" + u.database();
  }
}
