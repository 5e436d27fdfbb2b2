package io.switchboard.connector;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.connector.google.GoogleEndpoints;
import io.switchboard.testkit.GoogleApiDouble;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figure the issue asks for: a first and a second sync of 10,000 users in 100 groups against
 * the local double. A measurement, not a gate: run with {@code -Dswitchboard.scale=true}.
 */
@EnabledIfSystemProperty(named = "switchboard.scale", matches = "true")
@DisplayName("Google sync at scale (measurement)")
class GoogleSyncScaleTest {
  @Test
  @DisplayName("10,000 users in 100 groups")
  void tenThousand() throws Exception {
    TestGateway gateway = TestGateway.shared();
    GoogleApiDouble google = GoogleApiDouble.start(gateway.vertx());
    var account = google.serviceAccount("scale@switchboard-test.iam.gserviceaccount.com");
    google.admin("admin@example.com");
    JsonArray selected = new JsonArray();
    for (int g = 0; g < 100; g++) {
      google.addGroup("g" + g, "group" + g + "@example.com", "Group " + g);
      selected.add("group" + g + "@example.com");
    }
    for (int i = 0; i < 10_000; i++) {
      google.addUser("u" + i, "user" + i + "@example.com", "User", "N" + i);
      google.addMember("g" + (i % 100), "u" + i, "USER");
    }
    var tenant = gateway.newTenant();
    Connectors connectors =
        Connectors.create(
            gateway.switchboard(),
            ConnectorSecrets.routing(
                LocalConnectorSecrets.create(
                    gateway.vertx(), Files.createTempDirectory("sb-scale-secrets")),
                null),
            new Connectors.Options(
                "scale",
                Duration.ofMinutes(10),
                Duration.ZERO,
                4,
                16,
                GoogleEndpoints.at(google.url())));
    await(
        connectors.configure(
            tenant.id(),
            SourceKind.GOOGLE_WORKSPACE,
            3600,
            DirectorySync.RemovalPolicy.SUSPEND,
            new JsonObject()
                .put("kind", "google-workspace")
                .put("serviceAccountKey", account.keyJson())
                .put("adminSubject", "admin@example.com")
                .put("groups", selected)));
    var first =
        connectors
            .sync(tenant.id(), "scale")
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, java.util.concurrent.TimeUnit.MINUTES);
    var second =
        connectors
            .sync(tenant.id(), "scale")
            .toCompletionStage()
            .toCompletableFuture()
            .get(15, java.util.concurrent.TimeUnit.MINUTES);
    System.out.printf(
        "SCALE first sync: %d ms (%s)%nSCALE second sync (no change): %d ms (%s)%n",
        first.durationMs(), first.counts().encode(), second.durationMs(), second.counts().encode());
    assertThat(first.counts().getInteger("usersCreated")).isEqualTo(10_000);
    assertThat(second.counts().getInteger("applied")).isZero();
    google.close();
  }
}
