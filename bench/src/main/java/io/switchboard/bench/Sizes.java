package io.switchboard.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big each scenario is. {@link #full()} is the sizes; {@link #quick()} shrinks them so
 * the whole suite runs in a few minutes on 2 cores (the ratios are still meaningful, the growth
 * curves shorter).
 */
record Sizes(
    String mode,
    int mainUsers,
    List<Integer> userTiers,
    int patchBatch,
    int s5Tenants,
    int s5Users,
    int s5Groups,
    int s6Registered,
    int s6Active,
    List<Integer> tenantTiers,
    int s7Others,
    int s7FloodLimit,
    int connections,
    Duration warmup,
    Duration measure,
    long maxRequests,
    int latencyRate,
    int rounds) {

  static Sizes full() {
    return new Sizes(
        "full",
        10_000,
        List.of(1_000, 10_000, 100_000),
        1_000,
        100,
        1_000,
        20,
        10_000,
        1_000,
        List.of(1, 100, 10_000),
        10,
        100,
        32,
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        1_000_000,
        500,
        3);
  }

  static Sizes quick() {
    return new Sizes(
        "quick",
        2_000,
        List.of(1_000, 2_000, 10_000),
        1_000,
        10,
        100,
        5,
        1_000,
        200,
        List.of(1, 100, 1_000),
        10,
        100,
        32,
        Duration.ofSeconds(2),
        Duration.ofSeconds(6),
        200_000,
        300,
        2);
  }

  /** {@code BENCH_WARMUP_SECONDS} / {@code BENCH_MEASURE_SECONDS} override the step durations. */
  Sizes withEnv(java.util.Map<String, String> env) {
    Duration w = seconds(env.get("BENCH_WARMUP_SECONDS"), warmup);
    Duration m = seconds(env.get("BENCH_MEASURE_SECONDS"), measure);
    int r = env.get("BENCH_ROUNDS") == null ? rounds : Integer.parseInt(env.get("BENCH_ROUNDS"));
    return new Sizes(
        mode,
        mainUsers,
        userTiers,
        patchBatch,
        s5Tenants,
        s5Users,
        s5Groups,
        s6Registered,
        s6Active,
        tenantTiers,
        s7Others,
        s7FloodLimit,
        connections,
        w,
        m,
        maxRequests,
        latencyRate,
        r);
  }

  private static Duration seconds(String v, Duration def) {
    return v == null || v.isBlank() ? def : Duration.ofSeconds(Long.parseLong(v.trim()));
  }

  /** The largest tier: the tenant whose users fill scenario 4's big group. */
  int bigTier() {
    return userTiers.get(userTiers.size() - 1);
  }
}
