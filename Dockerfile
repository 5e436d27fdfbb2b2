# syntax=docker/dockerfile:1.7
#
# Switchboard: one image for every role (gateway, admin, migrate, dev, healthcheck).
#
#   docker buildx build --platform linux/arm64,linux/amd64 -t <registry>/switchboard:<version> --push .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -e SWITCHBOARD_DATABASE_URL=... <image> gateway
#
# Production-minded: multi-stage (no JDK, Maven or sources at runtime), non-root (uid 10001),
# works with a read-only root filesystem (only /tmp is written), trusts the RDS CAs so the
# database URL can use sslmode=verify-full, and has a health check without curl.

ARG JAVA_VERSION=17

################################################################################
# Build: runs once on the build machine's own architecture; the jar is portable.
################################################################################
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-${JAVA_VERSION} AS build
WORKDIR /src

# Trust the Amazon RDS certificate authorities: in the JVM trust store (Vert.x pool) and as
# ~/.postgresql/root.crt (the JDBC driver the migrations use).
ADD https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem /tmp/rds-global-bundle.pem
RUN mkdir -p /out/rds \
 && awk '/BEGIN CERTIFICATE/ { n++ } n { print > ("/out/rds/ca-" n ".pem") }' /tmp/rds-global-bundle.pem \
 && cp "$JAVA_HOME/lib/security/cacerts" /out/cacerts \
 && for f in /out/rds/ca-*.pem; do \
      keytool -importcert -noprompt -keystore /out/cacerts -storepass changeit \
        -alias "amazon-rds-$(basename "$f" .pem)" -file "$f" >/dev/null; \
    done \
 && cp /tmp/rds-global-bundle.pem /out/root.crt

# Sources last, so the layers above stay cached across code changes.
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dspotless.skip=true -pl tenant-admin -am package \
 && cp tenant-admin/target/switchboard.jar /tmp/switchboard.jar

################################################################################
# Runtime: JRE only, built per target platform (linux/amd64, linux/arm64).
################################################################################
FROM eclipse-temurin:${JAVA_VERSION}-jre-noble AS runtime

ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="switchboard" \
      org.opencontainers.image.description="Multi-tenant SCIM 2.0 provisioning gateway" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="UNLICENSED"

RUN groupadd --system --gid 10001 switchboard \
 && useradd --system --uid 10001 --gid switchboard --home-dir /home/switchboard --create-home \
      --shell /usr/sbin/nologin switchboard

COPY --from=build --chown=root:root --chmod=0444 /out/cacerts /opt/java/openjdk/lib/security/cacerts
COPY --from=build --chown=root:root --chmod=0444 /out/root.crt /home/switchboard/.postgresql/root.crt
COPY --from=build --chown=root:root --chmod=0444 /tmp/switchboard.jar /app/switchboard.jar

# The orchestrator may inject the database owner's password on its own (ECS takes it from the
# RDS-managed secret); this puts it URL-encoded into SWITCHBOARD_DATABASE_URL, then runs Java.
COPY --chmod=0555 <<'EOF_ENTRYPOINT' /usr/local/bin/switchboard-entrypoint
#!/bin/bash
set -euo pipefail

urlencode() {
  local LC_ALL=C s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) printf -v c '%%%02X' "'$c"; out+="$c" ;;
    esac
  done
  printf '%s' "$out"
}

if [[ -n "${SWITCHBOARD_DATABASE_PASSWORD:-}" && -n "${SWITCHBOARD_DATABASE_URL:-}" ]]; then
  scheme="${SWITCHBOARD_DATABASE_URL%%://*}"
  rest="${SWITCHBOARD_DATABASE_URL#*://}"
  userinfo="${rest%%@*}"
  if [[ "$rest" == *@* && "$userinfo" != *:* ]]; then
    SWITCHBOARD_DATABASE_URL="${scheme}://${userinfo}:$(urlencode "$SWITCHBOARD_DATABASE_PASSWORD")@${rest#*@}"
    export SWITCHBOARD_DATABASE_URL
  else
    echo "switchboard-entrypoint: SWITCHBOARD_DATABASE_PASSWORD is set but SWITCHBOARD_DATABASE_URL must name a user and no password (postgresql://owner@host:5432/db)" >&2
    exit 64
  fi
fi
unset SWITCHBOARD_DATABASE_PASSWORD

# shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
exec java ${JAVA_OPTS:-} -jar /app/switchboard.jar "$@"
EOF_ENTRYPOINT

ENV SWITCHBOARD_BIND_HOST=0.0.0.0 \
    SWITCHBOARD_SCIM_PORT=8080 \
    SWITCHBOARD_ADMIN_PORT=8081 \
    SWITCHBOARD_LOG_FORMAT=json \
    SWITCHBOARD_LOCAL_SESSIONS=false \
    SWITCHBOARD_DATA_DIR=/tmp/switchboard \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.io.tmpdir=/tmp"

# The only writable path (JVM and Netty scratch). Declared as a volume so a read-only root
# filesystem works: Docker and ECS Fargate seed the volume from the image's world-writable /tmp.
VOLUME ["/tmp"]

USER 10001:10001
WORKDIR /home/switchboard
EXPOSE 8080 8081

# Ready = serves HTTP and reaches the database. A small, quick JVM; the runtime has no curl.
# tenant-admin listens on 8081: override with --health-cmd or the orchestrator's own check.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", "-XX:-UsePerfData", "-jar", "/app/switchboard.jar", "healthcheck", "--url", "http://127.0.0.1:8080/ready"]

ENTRYPOINT ["/usr/local/bin/switchboard-entrypoint"]
CMD ["gateway"]
