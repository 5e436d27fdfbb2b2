package io.switchboard.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The local session store (dev and tests): files, check-and-set, private modes")
class LocalSessionStoreTest {
  private final Vertx vertx = Vertx.vertx();

  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T await(io.vertx.core.Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  @DisplayName("writes with check-and-set and reads back the same session and version")
  void casRoundTrip() throws Exception {
    LocalSessionStore store = LocalSessionStore.create(vertx, dir);
    UUID tenant = UUID.randomUUID();
    TenantSessionRef ref = TenantSessionRef.local(tenant);
    ScimSession s = ScimSession.create(tenant, Instant.now());
    assertThat(await(store.write(ref, s, 0))).isEqualTo(1);
    StoredSession read = await(store.read(ref));
    assertThat(read.version()).isEqualTo(1);
    assertThat(read.session().currentKey().key()).isEqualTo(s.currentKey().key());
    assertThatThrownBy(() -> await(store.write(ref, s, 0)))
        .as("creating twice loses the race")
        .isInstanceOf(SessionConflictException.class);
    assertThat(await(store.write(ref, s.withNewAccountKey(Instant.now()), 1))).isEqualTo(2);
    assertThat(Files.getPosixFilePermissions(dir.resolve(tenant + ".json")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  @DisplayName("a missing session is SessionNotFound; a deleted one is gone")
  void missingAndDeleted() throws Exception {
    LocalSessionStore store = LocalSessionStore.create(vertx, dir);
    UUID tenant = UUID.randomUUID();
    TenantSessionRef ref = TenantSessionRef.local(tenant);
    assertThatThrownBy(() -> await(store.read(ref))).isInstanceOf(SessionNotFoundException.class);
    await(store.write(ref, ScimSession.create(tenant, Instant.now()), 0));
    await(store.delete(ref));
    assertThatThrownBy(() -> await(store.read(ref))).isInstanceOf(SessionNotFoundException.class);
  }

  @Test
  @DisplayName("a session file copied under another tenant's name is refused")
  void copiedSessionRefused() throws Exception {
    LocalSessionStore store = LocalSessionStore.create(vertx, dir);
    UUID a = UUID.randomUUID();
    UUID b = UUID.randomUUID();
    await(store.write(TenantSessionRef.local(a), ScimSession.create(a, Instant.now()), 0));
    Files.copy(dir.resolve(a + ".json"), dir.resolve(b + ".json"));
    assertThatThrownBy(() -> await(store.read(TenantSessionRef.local(b))))
        .isInstanceOf(SessionCodec.InvalidSessionException.class);
  }
}
