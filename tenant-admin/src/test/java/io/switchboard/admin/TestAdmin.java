package io.switchboard.admin;

import static io.switchboard.testkit.TestGateway.await;

import io.switchboard.session.BearerToken;
import io.switchboard.testkit.TestGateway;
import java.util.Optional;

/** Tenant-admin on the shared test gateway's runtime, on a free port, with a fleet key. */
public final class TestAdmin {
  private static TestAdmin shared;

  private final AdminServer server;
  private final String fleetToken;

  private TestAdmin(AdminServer server, String fleetToken) {
    this.server = server;
    this.fleetToken = fleetToken;
  }

  public static synchronized TestAdmin shared() {
    if (shared == null) {
      TestGateway gw = TestGateway.shared();
      String token = BearerToken.generate(BearerToken.ADMIN_PREFIX).reveal();
      AdminServer server =
          await(
              AdminServer.start(
                  gw.switchboard(), new AdminConfig(0, Optional.of(token), gw.baseUrl())));
      shared = new TestAdmin(server, token);
    }
    return shared;
  }

  public String url() {
    return "http://127.0.0.1:" + server.port();
  }

  public String fleetToken() {
    return fleetToken;
  }

  public AdminKeys keys() {
    return server.keys();
  }
}
