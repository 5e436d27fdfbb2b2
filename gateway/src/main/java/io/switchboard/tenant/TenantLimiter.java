package io.switchboard.tenant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.switchboard.scim.ScimException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Per-tenant admission control for the SCIM router: a token bucket (the tenant's {@code rateLimit}
 * setting) and a cap on requests in flight (its {@code concurrency} setting), so one tenant's
 * initial sync cannot starve the rest. Both refusals are a 429 {@link ScimException} with a {@code
 * Retry-After}; the router's failure handler turns it into the SCIM error body.
 *
 * <p>Per instance: with N gateway instances behind a load balancer a tenant gets up to N times its
 * rate, which is the usual trade for not coordinating every request.
 *
 * <p>Usage, in the router after authentication:
 *
 * <pre>{@code
 * limiter.acquire(tenantContext)
 *     .compose(permit -> handle(ctx).onComplete(done -> permit.release()))
 * }</pre>
 *
 * or synchronously: {@code try (TenantLimiter.Permit p = limiter.tryAcquire(ctx)) { ... }} (throws
 * the 429 {@code ScimException}).
 */
public final class TenantLimiter {
  static final String RATE_DETAIL =
      "Too many requests for this organisation; slow down and retry after the indicated time.";
  static final String CONCURRENCY_DETAIL =
      "Too many concurrent requests for this organisation; retry after the indicated time.";

  private final Cache<UUID, Limits> limits;
  private final LongSupplier nanoTime;

  private TenantLimiter(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.limits =
        Caffeine.newBuilder()
            .maximumSize(200_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
  }

  public static TenantLimiter create() {
    return new TenantLimiter(System::nanoTime);
  }

  /** With a clock of one's own (tests). */
  public static TenantLimiter create(LongSupplier nanoTime) {
    return new TenantLimiter(nanoTime);
  }

  /** Held while a request runs; release exactly once (further releases do nothing). */
  public interface Permit extends AutoCloseable {
    void release();

    @Override
    default void close() {
      release();
    }
  }

  /** Admits the request or fails with a 429 {@link ScimException} carrying Retry-After. */
  public Future<Permit> acquire(TenantContext context) {
    try {
      return Future.succeededFuture(tryAcquire(context));
    } catch (ScimException e) {
      return Future.failedFuture(e);
    }
  }

  /** As {@link #acquire}, synchronously: throws the 429. */
  public Permit tryAcquire(TenantContext context) {
    return tryAcquire(context.tenantId(), context.tenant().settings());
  }

  /** As {@link #acquire}, for a tenant id and its settings. */
  public Permit tryAcquire(UUID tenantId, TenantSettings settings) {
    Limits l = limits.get(tenantId, id -> new Limits(settings, nanoTime.getAsLong()));
    if (!l.sameAs(settings)) {
      // settings changed through tenant-admin: start a fresh bucket with the new figures
      Limits fresh = new Limits(settings, nanoTime.getAsLong());
      limits.asMap().merge(tenantId, fresh, (old, neu) -> old.sameAs(settings) ? old : neu);
      l = limits.getIfPresent(tenantId);
      if (l == null) {
        l = fresh;
      }
    }
    return l.admit(nanoTime.getAsLong());
  }

  /** Requests of {@code tenantId} running now on this instance (for status and tests). */
  public int inFlight(UUID tenantId) {
    Limits l = limits.getIfPresent(tenantId);
    return l == null ? 0 : l.inFlight();
  }

  /** One tenant's bucket and in-flight count; guarded by its own monitor (short sections). */
  private static final class Limits {
    private final int rate;
    private final int burst;
    private final int concurrency;
    private double tokens;
    private long lastRefill;
    private int inFlight;

    Limits(TenantSettings s, long now) {
      this.rate = s.rateLimit().requestsPerSecond();
      this.burst = s.rateLimit().burst();
      this.concurrency = s.concurrency();
      this.tokens = burst;
      this.lastRefill = now;
    }

    boolean sameAs(TenantSettings s) {
      return rate == s.rateLimit().requestsPerSecond()
          && burst == s.rateLimit().burst()
          && concurrency == s.concurrency();
    }

    synchronized int inFlight() {
      return inFlight;
    }

    synchronized Permit admit(long now) {
      long elapsed = Math.max(0, now - lastRefill);
      tokens = Math.min(burst, tokens + elapsed * (double) rate / 1_000_000_000d);
      lastRefill = now;
      if (tokens < 1) {
        long seconds = (long) Math.ceil((1 - tokens) / rate);
        throw ScimException.tooManyRequests(RATE_DETAIL, Duration.ofSeconds(Math.max(1, seconds)));
      }
      if (inFlight >= concurrency) {
        throw ScimException.tooManyRequests(CONCURRENCY_DETAIL, Duration.ofSeconds(1));
      }
      tokens -= 1;
      inFlight++;
      AtomicBoolean released = new AtomicBoolean();
      return () -> {
        if (released.compareAndSet(false, true)) {
          synchronized (Limits.this) {
            inFlight--;
          }
        }
      };
    }
  }
}
