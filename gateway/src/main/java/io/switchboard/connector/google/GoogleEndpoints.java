package io.switchboard.connector.google;

import java.time.Duration;
import java.util.Map;

/**
 * Where the Google connector sends its requests and how patiently. The defaults are Google's
 * documented endpoints; tests point both URLs at a local server.
 *
 * <p>Environment: {@code SWITCHBOARD_GOOGLE_TOKEN_URL}, {@code SWITCHBOARD_GOOGLE_DIRECTORY_URL},
 * {@code SWITCHBOARD_GOOGLE_MAX_ATTEMPTS}.
 *
 * @param tokenUrl the OAuth 2.0 token endpoint the signed assertion is posted to
 * @param directoryUrl the Admin SDK root; paths {@code /admin/directory/v1/...} are appended
 * @param maxAttempts attempts per request for 429 and 5xx answers (1 = no retry)
 * @param baseDelay first backoff; doubled on each retry, with jitter, up to {@code maxDelay}
 * @param maxDelay longest wait between two attempts, also the cap on a {@code Retry-After}
 * @param requestTimeout one HTTP exchange
 */
public record GoogleEndpoints(
    String tokenUrl,
    String directoryUrl,
    int maxAttempts,
    Duration baseDelay,
    Duration maxDelay,
    Duration requestTimeout) {

  /** The audience of every assertion, whatever URL it is posted to (Google checks it). */
  public static final String TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";

  public static final GoogleEndpoints GOOGLE =
      new GoogleEndpoints(
          TOKEN_AUDIENCE,
          "https://admin.googleapis.com",
          6,
          Duration.ofMillis(500),
          Duration.ofSeconds(60),
          Duration.ofSeconds(60));

  public static GoogleEndpoints fromEnv(Map<String, String> env) {
    String token = env.getOrDefault("SWITCHBOARD_GOOGLE_TOKEN_URL", GOOGLE.tokenUrl);
    String directory = env.getOrDefault("SWITCHBOARD_GOOGLE_DIRECTORY_URL", GOOGLE.directoryUrl);
    int attempts = GOOGLE.maxAttempts;
    String a = env.get("SWITCHBOARD_GOOGLE_MAX_ATTEMPTS");
    if (a != null) {
      try {
        attempts = Integer.parseInt(a.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_GOOGLE_MAX_ATTEMPTS must be an integer from 1 to 20");
      }
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException(
            "SWITCHBOARD_GOOGLE_MAX_ATTEMPTS must be an integer from 1 to 20");
      }
    }
    return new GoogleEndpoints(
        token, directory, attempts, GOOGLE.baseDelay, GOOGLE.maxDelay, GOOGLE.requestTimeout);
  }

  /** Both URLs at {@code root} (the test double), with short delays. */
  public static GoogleEndpoints at(String root) {
    return new GoogleEndpoints(
        root + "/token",
        root,
        5,
        Duration.ofMillis(20),
        Duration.ofSeconds(2),
        Duration.ofSeconds(5));
  }

  public GoogleEndpoints withRetries(int attempts, Duration base, Duration max) {
    return new GoogleEndpoints(tokenUrl, directoryUrl, attempts, base, max, requestTimeout);
  }

  public GoogleEndpoints withRequestTimeout(Duration timeout) {
    return new GoogleEndpoints(tokenUrl, directoryUrl, maxAttempts, baseDelay, maxDelay, timeout);
  }
}
