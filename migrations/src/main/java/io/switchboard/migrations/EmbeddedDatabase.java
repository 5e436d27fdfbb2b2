package io.switchboard.migrations;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL 17 server for {@code switchboard dev}, tests and benchmarks, with durable
 * commits (fsync and synchronous_commit on, unlike the embedded default).
 *
 * <p>Usage: {@code try (var db = EmbeddedDatabase.start(dataDir, 0)) { db.ownerUrl(); }}. A data
 * directory that already holds a cluster is reused; a server left running by a killed process is
 * stopped first.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
  public static final String DATABASE = "switchboard";

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
  }

  /**
   * Starts (or restarts on existing data) a server in {@code dataDirectory} listening on {@code
   * 127.0.0.1:port}; port 0 picks a free one.
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    try {
      Files.createDirectories(dataDirectory);
      stopOrphan(dataDirectory);
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("listen_addresses", "127.0.0.1")
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("max_connections", "400")
              .setServerConfig("shared_buffers", "256MB")
              .setServerConfig("log_min_messages", "warning")
              .setServerConfig("log_statement", "none");
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres pg = builder.start();
      EmbeddedDatabase db = new EmbeddedDatabase(pg, dataDirectory);
      db.createDatabaseIfMissing();
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  /** The superuser URL for migrations (no password: the embedded server trusts loopback). */
  public DatabaseUrl ownerUrl() {
    return new DatabaseUrl(
        "127.0.0.1", postgres.getPort(), DATABASE, "postgres", null, java.util.Map.of());
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  private void createDatabaseIfMissing() {
    try (var c = postgres.getPostgresDatabase().getConnection();
        var s = c.createStatement();
        var rs = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
      if (!rs.next()) {
        try (var create = c.createStatement()) {
          create.execute("create database " + DATABASE);
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE, e);
    }
  }

  /** A postmaster whose JVM was killed keeps running; stop it so this start can own the data. */
  private static void stopOrphan(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      Optional<ProcessHandle> proc =
          lines.isEmpty()
              ? Optional.empty()
              : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
      if (proc.isPresent() && proc.get().isAlive()) {
        LOG.warn(
            "stopping PostgreSQL left running in {} (pid {})", dataDirectory, proc.get().pid());
        proc.get().destroy(); // SIGTERM: smart shutdown; its clients are gone with the old JVM
        proc.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      LOG.warn("could not stop a PostgreSQL left running in {}: {}", dataDirectory, e.toString());
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
    }
  }
}
