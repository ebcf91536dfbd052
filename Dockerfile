# syntax=docker/dockerfile:1
# Build: docker build -t cruddur-batch .
# Run:   docker run --rm -e AWS_REGION=us-east-1 -e PGHOST=... -e PGPASSWORD=... cruddur-batch list-tables
#        docker run ... cruddur-batch schedule          # scheduler mode; SIGTERM (docker stop) stops jobs cleanly
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/cruddur-batch.jar extract --destination /app

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app cruddur
WORKDIR /app
COPY --from=build /app /app
COPY jobs-config /app/jobs-config
# Class data sharing: a training run that starts the Spring context and exits records the classes it
# loaded; every later start maps them instead of loading and verifying them again. It must be made by
# this image's JVM, hence here and not in the build stage. The embedded default with an in-memory
# job repository, so the training needs no database or AWS.
RUN java -XX:ArchiveClassesAtExit=/app/cruddur-batch.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
      -Dspring.context.exit=onRefresh -jar /app/cruddur-batch.jar list-tables \
      --config=/app/jobs-config --spring.datasource.url=jdbc:h2:mem:training >/dev/null 2>&1 || true; \
    test -s /app/cruddur-batch.jsa && chmod 0444 /app/cruddur-batch.jsa \
 && mkdir -p /app/data && chown cruddur /app/data
# The prod profile (PostgreSQL, real AWS) unless the environment says otherwise; credentials come
# from the AWS default chain (task role, IRSA, env), never from the image.
ENV CRUDDUR_BATCH_CONFIG=/app/jobs-config \
    SPRING_PROFILES_ACTIVE=prod \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
USER 10001
# Exec form: java is PID 1 and receives SIGTERM itself (ECS, Kubernetes, docker stop).
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/cruddur-batch.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", "/app/cruddur-batch.jar"]
CMD ["--help"]
