package io.switchboard.feed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which URLs webhooks may be sent to, so a tenant's endpoint cannot make the gateway reach into the
 * operator's network (SSRF): https only, and every address the host resolves to must be public —
 * not loopback, link-local (cloud metadata at 169.254.169.254), private (RFC 1918, shared
 * 100.64/10), unique-local (fc00::/7), multicast, unspecified or broadcast, also when embedded in
 * an IPv6 address (v4-mapped, 6to4, NAT64). Checked when an endpoint is registered and again before
 * every delivery, which then connects to the very address it checked, so a DNS answer that changes
 * (rebinding) cannot slip past.
 *
 * <p>An operator whose receivers live on a private network (and tests, with a loopback receiver)
 * allows private targets and plain http with {@code SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=true}.
 *
 * <p>Usage: {@code targets.check(url).onSuccess(address -> connectTo(address))}.
 */
public final class WebhookTargets {
  /** Error codes of a refused URL, stable for API clients and delivery records. */
  public static final String INVALID_URL = "webhook_url_invalid";

  public static final String HTTPS_REQUIRED = "webhook_https_required";
  public static final String UNRESOLVABLE = "webhook_host_unresolvable";
  public static final String FORBIDDEN_ADDRESS = "webhook_address_forbidden";

  private final Vertx vertx;
  private final boolean allowPrivate;

  private WebhookTargets(Vertx vertx, boolean allowPrivate) {
    this.vertx = vertx;
    this.allowPrivate = allowPrivate;
  }

  public static WebhookTargets create(Vertx vertx, boolean allowPrivate) {
    return new WebhookTargets(vertx, allowPrivate);
  }

  public boolean allowPrivate() {
    return allowPrivate;
  }

  /** A URL that may not be used, with its code and a message for the operator. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    Refused(String code, String message) {
      super(message, null, false, false);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * Whether an endpoint may be registered with {@code url}: {@link #check} when private targets are
   * refused; with them allowed, only the URL's syntax (nothing to refuse by address, and a host
   * that does not resolve yet is retried at delivery).
   */
  public Future<Void> admit(String url) {
    if (!allowPrivate) {
      return check(url).mapEmpty();
    }
    try {
      parse(url);
      return Future.succeededFuture();
    } catch (Refused r) {
      return Future.failedFuture(r);
    }
  }

  /**
   * Resolves {@code url}'s host and answers the address to connect to; fails with {@link Refused}
   * when the URL or any address it resolves to may not be used.
   */
  public Future<InetAddress> check(String url) {
    URI uri;
    try {
      uri = parse(url);
    } catch (Refused r) {
      return Future.failedFuture(r);
    }
    String host = uri.getHost();
    String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return vertx
        .<InetAddress[]>executeBlocking(() -> InetAddress.getAllByName(literal), false)
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof UnknownHostException
                        ? new Refused(UNRESOLVABLE, "The webhook host does not resolve.")
                        : e))
        .compose(
            addresses -> {
              if (addresses.length == 0) {
                return Future.failedFuture(
                    new Refused(UNRESOLVABLE, "The webhook host does not resolve."));
              }
              if (!allowPrivate) {
                for (InetAddress a : addresses) {
                  if (forbidden(a)) {
                    return Future.failedFuture(
                        new Refused(
                            FORBIDDEN_ADDRESS,
                            "The webhook host resolves to a loopback, link-local, private,"
                                + " unique-local, multicast or unspecified address; such targets"
                                + " need SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=true."));
                  }
                }
              }
              return Future.succeededFuture(addresses[0]);
            });
  }

  /** The URL's syntax and scheme, without resolving it. */
  URI parse(String url) {
    URI uri;
    try {
      uri = url == null || url.length() > 2000 ? null : new URI(url);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    String scheme = uri == null ? null : String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
    if (uri == null
        || !uri.isAbsolute()
        || !("http".equals(scheme) || "https".equals(scheme))
        || uri.getHost() == null
        || uri.getRawUserInfo() != null) {
      throw new Refused(
          INVALID_URL, "url must be an absolute http(s) URL with a host and no credentials.");
    }
    if (!"https".equals(scheme) && !allowPrivate) {
      throw new Refused(
          HTTPS_REQUIRED,
          "url must use https (plain http needs SWITCHBOARD_WEBHOOK_ALLOW_PRIVATE=true).");
    }
    return uri;
  }

  /** Whether a delivery to {@code a} could reach something that is not on the public internet. */
  public static boolean forbidden(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int o0 = b[0] & 0xff;
      int o1 = b[1] & 0xff;
      return o0 == 0 // "this network"
          || (o0 == 100 && (o1 & 0xc0) == 64) // shared address space 100.64/10
          || (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (o0 == 198 && (o1 & 0xfe) == 18) // benchmarking 198.18/15
          || o0 >= 240; // reserved and broadcast
    }
    if (a instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return true; // unique local fc00::/7
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
        return forbidden(v4(b, 2)); // 6to4 2002::/16
      }
      if (isPrefix(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0})) {
        return forbidden(v4(b, 12)); // NAT64 64:ff9b::/96
      }
      if (isPrefix(b, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff})
          || isPrefix(b, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})) {
        return forbidden(v4(b, 12)); // v4-mapped, v4-compatible
      }
    }
    return false;
  }

  private static boolean isPrefix(byte[] address, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (address[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress v4(byte[] b, int from) {
    try {
      return InetAddress.getByAddress(new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
