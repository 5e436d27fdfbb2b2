package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.scim.ScimException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TenantLimiter: a token bucket and a concurrency cap per organisation")
class TenantLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final TenantLimiter limiter = TenantLimiter.create(nanos::get);

  private static TenantSettings settings(int rps, int burst, int concurrency) {
    return TenantSettings.parse(
        new JsonObject()
            .put("rateLimit", new JsonObject().put("requestsPerSecond", rps).put("burst", burst))
            .put("concurrency", concurrency));
  }

  @Test
  @DisplayName(
      "a burst is admitted, the next request is 429 with Retry-After, and refill admits again")
  void bucket() {
    UUID tenant = UUID.randomUUID();
    TenantSettings s = settings(2, 3, 100);
    for (int i = 0; i < 3; i++) {
      limiter.tryAcquire(tenant, s).release();
    }
    assertThatThrownBy(() -> limiter.tryAcquire(tenant, s))
        .isInstanceOfSatisfying(
            ScimException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1));
              assertThat(e.detail()).contains("Too many requests");
            });
    nanos.addAndGet(500_000_000L); // half a second at 2/s: one token back
    limiter.tryAcquire(tenant, s).release();
    assertThatThrownBy(() -> limiter.tryAcquire(tenant, s)).isInstanceOf(ScimException.class);
  }

  @Test
  @DisplayName("Retry-After says how long until a token is back at a slow rate")
  void retryAfter() {
    UUID tenant = UUID.randomUUID();
    TenantSettings slow =
        TenantSettings.parse(
            new JsonObject()
                .put("rateLimit", new JsonObject().put("requestsPerSecond", 1).put("burst", 1)));
    limiter.tryAcquire(tenant, slow).release();
    nanos.addAndGet(100_000_000L);
    assertThatThrownBy(() -> limiter.tryAcquire(tenant, slow))
        .isInstanceOfSatisfying(
            ScimException.class, e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(1)));
  }

  @Test
  @DisplayName("the concurrency cap refuses while permits are held, and a release frees a slot")
  void concurrency() {
    UUID tenant = UUID.randomUUID();
    TenantSettings s = settings(1000, 1000, 2);
    TenantLimiter.Permit a = limiter.tryAcquire(tenant, s);
    TenantLimiter.Permit b = limiter.tryAcquire(tenant, s);
    assertThat(limiter.inFlight(tenant)).isEqualTo(2);
    assertThatThrownBy(() -> limiter.tryAcquire(tenant, s))
        .isInstanceOfSatisfying(
            ScimException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.detail()).contains("concurrent");
            });
    a.release();
    a.release(); // a second release must not free another slot
    assertThat(limiter.inFlight(tenant)).isEqualTo(1);
    limiter.tryAcquire(tenant, s).release();
    b.close();
    assertThat(limiter.inFlight(tenant)).isZero();
  }

  @Test
  @DisplayName("one tenant's exhaustion does not touch another's bucket")
  void isolation() {
    UUID noisy = UUID.randomUUID();
    UUID quiet = UUID.randomUUID();
    TenantSettings s = settings(1, 1, 10);
    limiter.tryAcquire(noisy, s).release();
    assertThatThrownBy(() -> limiter.tryAcquire(noisy, s)).isInstanceOf(ScimException.class);
    limiter.tryAcquire(quiet, s).release();
  }

  @Test
  @DisplayName("new settings take effect on the next request")
  void settingsChange() {
    UUID tenant = UUID.randomUUID();
    limiter.tryAcquire(tenant, settings(1, 1, 10)).release();
    assertThatThrownBy(() -> limiter.tryAcquire(tenant, settings(1, 1, 10)))
        .isInstanceOf(ScimException.class);
    limiter.tryAcquire(tenant, settings(50, 100, 10)).release();
  }

  @Test
  @DisplayName("acquire returns a failed future with the 429 instead of throwing")
  void asyncForm() {
    UUID tenant = UUID.randomUUID();
    TenantRecord record =
        new TenantRecord(
            tenant, "t", "T", TenantRecord.ACTIVE, "generic", "local", null, settings(1, 1, 1));
    TenantContext ctx = new TenantContext(record, null, "tok");
    assertThat(limiter.acquire(ctx).succeeded()).isTrue();
    var refused = limiter.acquire(ctx);
    assertThat(refused.failed()).isTrue();
    assertThat(((ScimException) refused.cause()).status()).isEqualTo(429);
  }
}
