package io.switchboard.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** For container health checks (the runtime image has no curl): exit 0 if the URL answers 200. */
@Command(name = "healthcheck", description = "Exit 0 if the URL answers 200 (container probes).")
final class HealthcheckCommand implements Callable<Integer> {
  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080/ready",
      description = "URL to probe (default: ${DEFAULT-VALUE}).")
  String url;

  @Override
  public Integer call() {
    try {
      HttpResponse<Void> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(2))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                  HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200 ? SwitchboardCli.OK : SwitchboardCli.FAILED;
    } catch (Exception e) {
      return SwitchboardCli.UNREACHABLE;
    }
  }
}
