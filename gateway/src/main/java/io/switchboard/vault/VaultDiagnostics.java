package io.switchboard.vault;

import io.switchboard.session.SessionCodec;
import io.switchboard.session.SessionNotFoundException;
import io.switchboard.session.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.UUID;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Tests a tenant's Vault connection one step at a time and names the first step that fails: DNS,
 * TCP connect, TLS, login, policy (a 403 on the read), missing session, invalid session, or ok with
 * the session's version. Runs on the Vault worker executor; the login is always fresh (the token
 * cache is neither used nor filled).
 *
 * <p>Usage: {@code store.diagnostics().test(connection, tenantId).onSuccess(r -> r.toJson())}.
 */
public final class VaultDiagnostics {

  /** The step a diagnosis stopped at; {@link #OK} when every step passed. */
  public enum Step {
    DNS("dns"),
    CONNECT("connect"),
    TLS("tls"),
    TIMEOUT("timeout"),
    LOGIN("login"),
    POLICY("policy"),
    SERVER_ERROR("server-error"),
    MISSING_SESSION("missing-session"),
    INVALID_SESSION("invalid-session"),
    OK("ok");

    private final String wire;

    Step(String wire) {
      this.wire = wire;
    }

    /** The name an API shows. */
    public String wire() {
      return wire;
    }
  }

  /** What the test found. {@code sessionVersion} is set only when {@code step} is {@code OK}. */
  public record Result(Step step, String message, Long sessionVersion, long elapsedMillis) {
    public boolean ok() {
      return step == Step.OK;
    }

    public JsonObject toJson() {
      JsonObject json =
          new JsonObject()
              .put("ok", ok())
              .put("step", step.wire())
              .put("message", message)
              .put("elapsedMillis", elapsedMillis);
      if (sessionVersion != null) {
        json.put("sessionVersion", sessionVersion);
      }
      return json;
    }
  }

  private final WorkerExecutor executor;
  private final VaultAccess access;

  VaultDiagnostics(WorkerExecutor executor, VaultAccess access) {
    this.executor = executor;
    this.access = access;
  }

  public Future<Result> test(VaultConnection connection, UUID tenantId) {
    return executor.executeBlocking(() -> run(connection, tenantId), false);
  }

  private Result run(VaultConnection c, UUID tenantId) {
    long started = System.nanoTime();
    try {
      URI uri = URI.create(c.address());
      boolean tls = "https".equals(uri.getScheme());
      int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
      InetAddress address;
      try {
        address = InetAddress.getAllByName(uri.getHost())[0];
      } catch (UnknownHostException e) {
        return result(Step.DNS, "the host " + uri.getHost() + " does not resolve", started);
      }
      int connectMillis = (int) access.options().connectTimeout().toMillis();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), connectMillis);
      } catch (IOException e) {
        return result(
            Step.CONNECT,
            "no TCP connection to " + address.getHostAddress() + ":" + port + ": " + e.getMessage(),
            started);
      }
      if (tls) {
        try (Socket plain = new Socket()) {
          plain.connect(new InetSocketAddress(address, port), connectMillis);
          plain.setSoTimeout(connectMillis);
          SSLSocket socket =
              (SSLSocket)
                  VaultAccess.sslContext(c.caPem())
                      .getSocketFactory()
                      .createSocket(plain, uri.getHost(), port, false);
          SSLParameters params = socket.getSSLParameters();
          params.setEndpointIdentificationAlgorithm("HTTPS");
          socket.setSSLParameters(params);
          socket.startHandshake();
          socket.close();
        } catch (SSLException e) {
          return result(
              Step.TLS,
              "the TLS handshake failed ("
                  + e.getMessage()
                  + "): is the server speaking https, does the configured CA sign its certificate,"
                  + " and does the certificate name "
                  + uri.getHost()
                  + "?",
              started);
        } catch (IOException e) {
          return result(Step.TLS, "the TLS handshake failed: " + e.getMessage(), started);
        }
      }
      VaultAccess.CachedToken token = access.login(c, tenantId);
      StoredSession stored = access.readOnce(c, tenantId, token.token());
      return new Result(
          Step.OK,
          "logged in and read the scimsession at " + c.kvPath(),
          stored.version(),
          millisSince(started));
    } catch (VaultCallException e) {
      return result(e.step(), e.getMessage(), started);
    } catch (SessionNotFoundException e) {
      return result(Step.MISSING_SESSION, e.getMessage(), started);
    } catch (SessionCodec.InvalidSessionException e) {
      return result(Step.INVALID_SESSION, e.getMessage(), started);
    }
  }

  private static Result result(Step step, String message, long started) {
    return new Result(step, message, null, millisSince(started));
  }

  private static long millisSince(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
