# syntax=docker/dockerfile:1
# Build: docker build -t cruddur-batch .
# Run:   docker run --rm -e AWS_REGION=us-east-1 -e PGHOST=... -e PGPASSWORD=... cruddur-batch list-tables
#        docker run ... cruddur-batch schedule          # scheduler mode; SIGTERM (docker stop) stops jobs cleanly
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
# The jar extracted: classes are read from plain jars at start-up, not from jars nested in a jar.
RUN mvn -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/cruddur-batch.jar extract --destination /app

# Java 25 runs the Java 17 bytecode and brings the JDK AOT cache (JEP 483/515).
FROM eclipse-temurin:25-jre
RUN useradd --system --uid 10001 --home /app cruddur
WORKDIR /app
COPY --from=build /app /app
COPY jobs-config /app/jobs-config
COPY seed-csv /app/seed-csv
# The AOT cache: a training run records the classes a launch loads and links (and method profiles);
# every later start maps them instead of loading, verifying and linking them again. It must be made
# by this image's JVM with this classpath, hence here. The run (launch/StartupTraining) makes list-tables
# and ci-data-setup of the shipped seed in one JVM, to their end, against an in-process stand-in that
# answers the DynamoDB protocol on 127.0.0.1: no network, an H2 job repository in /tmp, nothing left behind.
RUN java -XX:AOTCacheOutput=/app/cruddur-batch.aot -Xlog:aot=off -Xlog:cds=off -cp /app/cruddur-batch.jar \
      com.cruddur.batch.launch.StartupTraining /tmp/training /app/jobs-config >/tmp/training.log 2>&1; \
    test -s /app/cruddur-batch.aot || { cat /tmp/training.log; exit 1; }; \
    chmod 0444 /app/cruddur-batch.aot && rm -rf /tmp/training /tmp/training.log \
 && mkdir -p /app/data && chown cruddur /app/data
# The prod profile (PostgreSQL, real AWS) unless the environment says otherwise; credentials come
# from the AWS default chain (task role, IRSA, env), never from the image.
ENV CRUDDUR_BATCH_CONFIG=/app/jobs-config \
    SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER 10001
# Exec form: java is PID 1 and receives SIGTERM itself (ECS, Kubernetes, docker stop).
ENTRYPOINT ["java", "-XX:AOTCache=/app/cruddur-batch.aot", "-Xlog:aot=off", "-Xlog:cds=off", "-jar", "/app/cruddur-batch.jar"]
CMD ["--help"]
