package io.switchboard.connector;

import io.switchboard.session.TenantSessionRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Connector credentials as files beside the local sessions: {@code
 * <dir>/<tenantId>.connector.json}, mode 0600, written atomically.
 *
 * <p><b>Not for production</b>, for the same reason as {@code LocalSessionStore}: the credentials
 * then sit on the operator's machine. It is the store of {@code switchboard dev} and of tests.
 */
public final class LocalConnectorSecrets implements ConnectorSecrets {
  private final Vertx vertx;
  private final Path directory;

  private LocalConnectorSecrets(Vertx vertx, Path directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  public static LocalConnectorSecrets create(Vertx vertx, Path directory) {
    try {
      Files.createDirectories(directory);
      setPermissions(directory, "rwx------");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create connector secrets directory " + directory, e);
    }
    return new LocalConnectorSecrets(vertx, directory);
  }

  public Path file(TenantSessionRef ref) {
    return directory.resolve(ref.tenantId() + ".connector.json");
  }

  @Override
  public Future<Optional<JsonObject>> read(TenantSessionRef ref) {
    return blocking(
        () -> {
          try {
            return Optional.of(new JsonObject(Buffer.buffer(Files.readAllBytes(file(ref)))));
          } catch (NoSuchFileException e) {
            return Optional.empty();
          }
        });
  }

  @Override
  public Future<Void> write(TenantSessionRef ref, JsonObject document) {
    return blocking(
        () -> {
          Path tmp = Files.createTempFile(directory, ref.tenantId().toString(), ".tmp");
          setPermissions(tmp, "rw-------");
          Files.write(tmp, document.toBuffer().getBytes());
          try {
            Files.move(
                tmp,
                file(ref),
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(ref), StandardCopyOption.REPLACE_EXISTING);
          }
          return null;
        });
  }

  @Override
  public Future<Void> delete(TenantSessionRef ref) {
    return blocking(
        () -> {
          Files.deleteIfExists(file(ref));
          return null;
        });
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(
        () -> {
          try {
            return work.call();
          } catch (IOException e) {
            // the path names only a tenant id; the content never reaches a message
            throw new ConnectorException(
                ConnectorException.SECRETS_UNAVAILABLE,
                "The local connector secrets store failed: " + e.getClass().getSimpleName());
          }
        },
        false);
  }

  private static void setPermissions(Path path, String perms) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    } catch (UnsupportedOperationException e) {
      // non-POSIX file systems: the directory's protection is the operator's concern
    }
  }
}
