package io.switchboard.gateway;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * TLS when the gateway terminates it itself (no load balancer in front): PEM certificate chain and
 * private key from files ({@code SWITCHBOARD_TLS_CERT}, {@code SWITCHBOARD_TLS_KEY}), TLS 1.2 and
 * 1.3 only, forward-secret AEAD cipher suites only, and the files re-read every {@code
 * SWITCHBOARD_TLS_RELOAD} (default 30 s): a renewed certificate (cert-manager, ACME, a rotated
 * Kubernetes secret) is served on new connections without a restart.
 */
public record TlsOptions(Path certificate, Path privateKey, Duration reloadEvery) {
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** TLS 1.3's suites, then TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305: nothing else. */
  public static final List<String> CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  static Optional<TlsOptions> read(GatewayConfig.Reader r) {
    String cert = r.string("SWITCHBOARD_TLS_CERT", "");
    String key = r.string("SWITCHBOARD_TLS_KEY", "");
    Duration reload =
        r.duration(
            "SWITCHBOARD_TLS_RELOAD",
            Duration.ofSeconds(30),
            Duration.ofSeconds(1),
            Duration.ofHours(24));
    if (cert.isBlank() && key.isBlank()) {
      return Optional.empty();
    }
    if (cert.isBlank() || key.isBlank()) {
      r.problem("SWITCHBOARD_TLS_CERT and SWITCHBOARD_TLS_KEY must be set together (PEM files)");
      return Optional.empty();
    }
    for (String file : List.of(cert, key)) {
      if (!Files.isReadable(Path.of(file))) {
        r.problem("TLS file " + file + " is not readable");
      }
    }
    return Optional.of(new TlsOptions(Path.of(cert), Path.of(key), reload));
  }

  /** The listener's options with TLS on. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    options
        .setSsl(true)
        .setKeyCertOptions(keyCert())
        .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  /** What a reload hands to the running server. */
  public ServerSSLOptions sslOptions() {
    ServerSSLOptions options =
        new ServerSSLOptions()
            .setKeyCertOptions(keyCert())
            .setEnabledSecureTransportProtocols(new LinkedHashSet<>(PROTOCOLS));
    CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    return options;
  }

  private PemKeyCertOptions keyCert() {
    return new PemKeyCertOptions()
        .setCertPath(certificate.toString())
        .setKeyPath(privateKey.toString());
  }

  /** A digest of both files' contents: it changes when either is replaced (blocking I/O). */
  public String fingerprint() throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(certificate));
      sha.update((byte) 0);
      sha.update(Files.readAllBytes(privateKey));
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
