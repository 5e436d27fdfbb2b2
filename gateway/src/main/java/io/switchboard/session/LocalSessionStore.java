package io.switchboard.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions as files in a local directory: {@code <dir>/<tenantId>.json}, mode 0600, written
 * atomically, with a version number for check-and-set (the same contract as Vault's KV v2).
 *
 * <p><b>Not for production</b>: the keys then sit next to the operator's data, which is exactly
 * what the Vault store exists to prevent. It is the store of {@code switchboard dev} and of tests;
 * the gateway says so in its log at start-up.
 */
public final class LocalSessionStore implements SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSessionStore.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx;
  private final Path directory;

  private LocalSessionStore(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  public static LocalSessionStore create(Vertx vertx, Path directory) {
    try {
      Files.createDirectories(directory);
      trySetPermissions(directory, "rwx------");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create session directory " + directory, e);
    }
    LOG.warn(
        "LOCAL session store in {}: tenant keys are kept on this machine. Not for production;"
            + " point tenants at their own Vault.",
        directory);
    return new LocalSessionStore(vertx, directory);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public Future<StoredSession> read(TenantSessionRef ref) {
    return blocking(
        () -> {
          Path file = file(ref);
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(file);
          } catch (NoSuchFileException e) {
            throw new SessionNotFoundException("no local session for tenant " + ref.tenantId());
          }
          JsonNode root = MAPPER.readTree(bytes);
          ScimSession session = SessionCodec.fromJson(root.path("data"));
          if (!session.tenantId().equals(ref.tenantId())) {
            throw new SessionCodec.InvalidSessionException(
                "the stored session belongs to another tenant");
          }
          return new StoredSession(session, root.path("version").asLong());
        });
  }

  @Override
  public Future<Long> write(TenantSessionRef ref, ScimSession session, long expectedVersion) {
    return blocking(
        () -> {
          try (FileChannel lockChannel =
                  FileChannel.open(
                      directory.resolve(ref.tenantId() + ".lock"),
                      StandardOpenOption.CREATE,
                      StandardOpenOption.WRITE);
              FileLock ignored = lockChannel.lock()) {
            Path file = file(ref);
            long current = 0;
            if (Files.exists(file)) {
              current = MAPPER.readTree(Files.readAllBytes(file)).path("version").asLong();
            }
            if (current != expectedVersion) {
              throw new SessionConflictException(
                  "session version is " + current + ", expected " + expectedVersion);
            }
            ObjectNode root = MAPPER.createObjectNode();
            root.put("version", current + 1);
            root.set("data", SessionCodec.toJson(session));
            Path tmp = Files.createTempFile(directory, ref.tenantId().toString(), ".tmp");
            trySetPermissions(tmp, "rw-------");
            Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
              Files.move(
                  tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
              Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return current + 1;
          }
        });
  }

  @Override
  public Future<Void> delete(TenantSessionRef ref) {
    return blocking(
        () -> {
          Files.deleteIfExists(file(ref));
          Files.deleteIfExists(directory.resolve(ref.tenantId() + ".lock"));
          return null;
        });
  }

  private Path file(TenantSessionRef ref) {
    return directory.resolve(ref.tenantId() + ".json");
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (SessionNotFoundException
              | SessionConflictException
              | SessionCodec.InvalidSessionException e) {
            throw e;
          } catch (IOException e) {
            throw new SessionUnavailableException("local session store: " + e.getMessage(), e);
          }
        },
        false);
  }

  private static void trySetPermissions(Path path, String perms) {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException | IOException e) {
      // non-POSIX file systems: the directory permissions are the operator's concern
    }
  }
}
