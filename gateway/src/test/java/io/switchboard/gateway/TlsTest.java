package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.testkit.TestGateway;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TLS when the gateway terminates it: 1.2+, forward-secret AEAD suites, reload")
class TlsTest {
  private static Path dir;
  private static Path certFile;
  private static Path keyFile;
  private static X509Certificate first;
  private static TestGateway gw;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("sb-tls");
    certFile = dir.resolve("tls.crt");
    keyFile = dir.resolve("tls.key");
    first = writeSelfSigned("CN=gateway-one");
    gw =
        TestGateway.start(
            env -> {
              env.put("SWITCHBOARD_TLS_CERT", certFile.toString());
              env.put("SWITCHBOARD_TLS_KEY", keyFile.toString());
              env.put("SWITCHBOARD_TLS_RELOAD", "1s");
            });
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  @Test
  @DisplayName("TLS 1.3 and 1.2 handshake with a forward-secret AEAD suite and serve requests")
  void modernHandshakes() throws Exception {
    try (SSLSocket s = socket("TLSv1.3", null)) {
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(TlsOptions.CIPHER_SUITES).contains(s.getSession().getCipherSuite());
      assertThat(health(s)).startsWith("HTTP/1.1 200");
    }
    try (SSLSocket s = socket("TLSv1.2", null)) {
      s.startHandshake();
      assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
      assertThat(s.getSession().getCipherSuite()).startsWith("TLS_ECDHE_").contains("_GCM_");
      assertThat(health(s)).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  @DisplayName("a client offering only suites without forward secrecy or with CBC is refused")
  void weakSuitesRefused() {
    for (String suite :
        new String[] {
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"
        }) {
      assertThatThrownBy(
              () -> {
                try (SSLSocket s = socket("TLSv1.2", suite)) {
                  s.startHandshake();
                }
              })
          .as(suite)
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  @DisplayName("a replaced certificate is served on new connections without a restart")
  void reloadsCertificate() throws Exception {
    assertThat(presented().getSubjectX500Principal().getName()).isEqualTo("CN=gateway-one");
    int port = gw.port();
    try (SSLSocket before = socket("TLSv1.3", null)) {
      before.startHandshake();
      X509Certificate second = writeSelfSigned("CN=gateway-two");
      X509Certificate seen = null;
      for (int attempt = 0; attempt < 200 && !second.equals(seen); attempt++) {
        Thread.sleep(50);
        try {
          seen = presented();
        } catch (IOException e) {
          seen = null; // the files are mid-swap (new key, old certificate): try again
        }
      }
      assertThat(seen).as("certificate after the files changed").isEqualTo(second);
      assertThat(gw.port()).as("same listener, no restart").isEqualTo(port);
      assertThat(health(before))
          .as("a connection from before still works")
          .startsWith("HTTP/1.1 200");
    } finally {
      first = writeSelfSigned("CN=gateway-one");
    }
  }

  @Test
  @DisplayName("a certificate without a key (or the reverse) is a start-up error naming both")
  void certAndKeyTogether() {
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_DATABASE_URL", "postgresql://owner:pw@db.internal:5433/sb");
    env.put("SWITCHBOARD_DATABASE_APP_PASSWORD", "app-pw");
    env.put("SWITCHBOARD_MASTER_KEY", "k".repeat(48));
    env.put("SWITCHBOARD_TLS_CERT", certFile.toString());
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env))
        .hasMessageContaining("SWITCHBOARD_TLS_CERT and SWITCHBOARD_TLS_KEY");
    env.put("SWITCHBOARD_TLS_KEY", dir.resolve("missing.key").toString());
    assertThatThrownBy(() -> GatewayConfig.fromEnv(env)).hasMessageContaining("missing.key");
  }

  private static X509Certificate presented() throws Exception {
    try (SSLSocket s = socket("TLSv1.3", null)) {
      s.startHandshake();
      return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }
  }

  private static String health(SSLSocket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[512];
    int n = in.read(buf);
    return new String(buf, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
  }

  /** A client that trusts any certificate (the test checks which one it got). */
  private static SSLSocket socket(String protocol, String onlySuite) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", gw.port());
    s.setSoTimeout(10_000);
    s.setEnabledProtocols(new String[] {protocol});
    if (onlySuite != null) {
      s.setEnabledCipherSuites(new String[] {onlySuite});
    }
    return s;
  }

  /** Writes a fresh EC P-256 key and a self-signed certificate for it over the served files. */
  private static X509Certificate writeSelfSigned(String subject) throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name(subject);
    var builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)),
            name,
            pair.getPublic());
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    Path certTmp = dir.resolve("tls.crt.tmp");
    Path keyTmp = dir.resolve("tls.key.tmp");
    Files.writeString(certTmp, pem(cert));
    Files.writeString(
        keyTmp,
        pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null)));
    // key first, then certificate, each replaced atomically (as a secret mount swaps files)
    Files.move(
        keyTmp,
        keyFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    Files.move(
        certTmp,
        certFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return cert;
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
