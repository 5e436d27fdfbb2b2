package io.switchboard.conformance;

import static io.switchboard.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.tenant.TenantProvisioning;
import io.switchboard.tenant.TenantSettings;
import io.switchboard.testkit.ScimClient;
import io.switchboard.testkit.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs SAP's SCIM compliance suite ({@code com.sap.scimono:scimono-compliance-tests}, shaded)
 * against a live gateway on the embedded database, in two forked JVMs at once: one against an empty
 * tenant ({@code tests.txt}) and one against a tenant with existing users and groups ({@code
 * tests-populated.txt}), since the suite enables some tests only on an empty backend and others
 * only on a populated one. The suite authenticates through {@link OAuthTokenEndpointDouble}, which
 * hands out the tenant's real bearer token. Both tenants answer PATCH with 204, as the suite
 * expects.
 *
 * <p>The build fails on any failing test not listed in {@code known-failures.txt}, on any listed
 * one that passes, and on any test of the suite that is neither run nor excluded in {@code
 * excluded.md}. Output: {@code target/conformance/summary.txt}, {@code failing.txt} (the current
 * failures in the form of {@code known-failures.txt}) and per run {@code <run>/} ({@code suite.log}
 * has every request and response, {@code launcher.out} the run's progress).
 */
@DisplayName("SAP's SCIM compliance suite against a live gateway")
class ScimComplianceSuiteTest {
  private static final long RUN_TIMEOUT_SECONDS = 240;
  private static final String CLIENT_ID = "scimono-compliance-suite";

  /**
   * The empty-tenant tests are dealt round-robin to this many JVMs, each with its own tenant: the
   * suite sleeps 30 s in several tests, and one run in a row would take over four minutes.
   */
  private static final int EMPTY_TENANT_SHARDS = 4;

  private final TestGateway gateway = TestGateway.shared();

  @Test
  @DisplayName(
      "passes every test it runs, except the known failures, and runs all but the excluded")
  void suitePasses() throws Exception {
    Path lists = resourceDir("/conformance");
    Path suiteJar = suiteJar();
    Path out = Path.of("target", "conformance").toAbsolutePath();

    List<SuiteTestId> emptyTenantTests = SuiteTestId.readList(lists.resolve("tests.txt"));
    List<SuiteTestId> populatedTenantTests =
        SuiteTestId.readList(lists.resolve("tests-populated.txt"));
    Map<String, Map.Entry<SuiteTenant, List<SuiteTestId>>> plan = new LinkedHashMap<>();
    for (int shard = 0; shard < EMPTY_TENANT_SHARDS; shard++) {
      List<SuiteTestId> tests = new ArrayList<>();
      for (int i = shard; i < emptyTenantTests.size(); i += EMPTY_TENANT_SHARDS) {
        tests.add(emptyTenantTests.get(i));
      }
      plan.put("empty-tenant-" + (shard + 1), Map.entry(newSuiteTenant(), tests));
    }
    SuiteTenant populated = newSuiteTenant();
    seed(populated, lists.resolve("seed.json"));
    plan.put("populated-tenant", Map.entry(populated, populatedTenantTests));

    List<ComplianceSuiteRun> runs = new ArrayList<>();
    List<OAuthTokenEndpointDouble> tokenEndpoints = new ArrayList<>();
    try {
      for (var run : plan.entrySet()) {
        SuiteTenant tenant = run.getValue().getKey();
        Path runDir = Files.createDirectories(out.resolve(run.getKey()));
        Path testList =
            Files.write(
                runDir.resolve("tests.txt"),
                run.getValue().getValue().stream().map(SuiteTestId::toString).toList());
        String secret = UUID.randomUUID().toString();
        OAuthTokenEndpointDouble tokens =
            await(
                OAuthTokenEndpointDouble.start(gateway.vertx(), CLIENT_ID, secret, tenant.token()));
        tokenEndpoints.add(tokens);
        runs.add(
            ComplianceSuiteRun.start(
                new ComplianceSuiteRun.Settings(
                    run.getKey(), suiteJar, testList, runDir, suiteProperties(tokens, secret))));
      }
      for (ComplianceSuiteRun run : runs) {
        run.await(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      tokenEndpoints.forEach(OAuthTokenEndpointDouble::close);
    }

    List<SuiteTestId> listed = new ArrayList<>(emptyTenantTests);
    listed.addAll(populatedTenantTests);
    List<SuiteReport.Outcome> outcomes = new ArrayList<>();
    for (ComplianceSuiteRun run : runs) {
      outcomes.addAll(SuiteReport.read(run.reportsDir()).outcomes());
    }
    SuiteVerdict verdict =
        SuiteVerdict.judge(
            listed,
            SuiteVerdict.readExcluded(lists.resolve("excluded.md")),
            SuiteVerdict.readKnownFailures(lists.resolve("known-failures.txt")),
            runs.get(0).inventory(),
            outcomes);
    Files.writeString(out.resolve("summary.txt"), verdict.summary());
    Files.write(out.resolve("failing.txt"), verdict.failing());
    System.out.println(verdict.summary());

    assertThat(tokenEndpoints).allSatisfy(t -> assertThat(t.tokensIssued()).isPositive());
    assertThat(verdict.problems()).as(verdict.summary()).isEmpty();
  }

  /**
   * A tenant that answers PATCH with 204 for users and groups, as the suite expects, and whose rate
   * limit a suite creating 500 users in a row does not reach.
   */
  private SuiteTenant newSuiteTenant() {
    TenantSettings settings =
        new TenantSettings(
            204,
            204,
            new TenantSettings.RateLimit(TenantSettings.MAX_RATE, TenantSettings.MAX_BURST),
            TenantSettings.DEFAULTS.concurrency(),
            TenantSettings.DEFAULTS.managedGroups(),
            TenantSettings.DEFAULTS.confirmation(),
            TenantSettings.DEFAULTS.hardDelete(),
            TenantSettings.DEFAULTS.membersReplace());
    TenantProvisioning provisioning = gateway.switchboard().provisioning();
    String slug = "conformance-" + UUID.randomUUID().toString().substring(0, 8);
    var created =
        await(
            provisioning.createTenant(
                new TenantProvisioning.NewTenant(
                    slug, "SAP compliance suite", null, null, null, settings.toJson())));
    var token = await(provisioning.issueToken(created.id(), "compliance suite", null));
    return new SuiteTenant(token.token(), gateway.client(token.token()));
  }

  private record SuiteTenant(String token, ScimClient scim) {}

  /** Creates the users and groups of {@code seed.json} through the SCIM API. */
  private static void seed(SuiteTenant tenant, Path seedFile) throws IOException {
    JsonObject seed = new JsonObject(Files.readString(seedFile));
    Map<String, String> userIds = new HashMap<>();
    for (Object u : seed.getJsonArray("users")) {
      JsonObject user = (JsonObject) u;
      ScimClient.Response r = tenant.scim().post("/Users", user.encode());
      assertThat(r.status()).as("seeding user: %s", r).isEqualTo(201);
      userIds.put(user.getString("userName"), r.body().get("id").asText());
    }
    for (Object g : seed.getJsonArray("groups")) {
      JsonObject spec = (JsonObject) g;
      JsonArray members = new JsonArray();
      for (Object userName : spec.getJsonArray("memberUserNames", new JsonArray())) {
        members.add(
            new JsonObject().put("value", userIds.get((String) userName)).put("type", "User"));
      }
      JsonObject group =
          new JsonObject()
              .put("schemas", new JsonArray().add("urn:ietf:params:scim:schemas:core:2.0:Group"))
              .put("displayName", spec.getString("displayName"))
              .put("members", members);
      ScimClient.Response r = tenant.scim().post("/Groups", group.encode());
      assertThat(r.status()).as("seeding group: %s", r).isEqualTo(201);
    }
  }

  /** The suite's settings, as its {@code TestProperties} reads them. */
  private Map<String, String> suiteProperties(OAuthTokenEndpointDouble tokens, String secret) {
    Map<String, String> p = new HashMap<>();
    p.put("scim.service.url", gateway.baseUrl());
    p.put("auth.type", "Oauth");
    p.put("oauth.grant", "client_credentials");
    p.put("oauth.service.url", tokens.tokenUrl());
    p.put("oauth.clientId", CLIENT_ID);
    p.put("oauth.secret", secret);
    return p;
  }

  /** The suite's jar, copied into target/conformance by the build (see gateway/pom.xml). */
  private static Path suiteJar() {
    String configured = System.getProperty("conformance.suite.jar");
    assertThat(configured)
        .as("system property conformance.suite.jar (set by the Maven build: run through mvn)")
        .isNotBlank();
    Path jar = Path.of(configured);
    assertThat(jar).as("the suite's shaded jar").isRegularFile();
    return jar;
  }

  private static Path resourceDir(String name) throws URISyntaxException {
    return Path.of(ScimComplianceSuiteTest.class.getResource(name).toURI());
  }
}
