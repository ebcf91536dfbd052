# syntax=docker/dockerfile:1
# Build: docker build -t cruddur-batch .      Run: docker run --rm -e AWS_REGION=us-east-1 cruddur-batch list-tables
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home /app cruddur
WORKDIR /app
COPY --from=build /src/target/cruddur-batch.jar /app/cruddur-batch.jar
COPY jobs-config /app/jobs-config
# The prod profile (PostgreSQL, real AWS) unless the environment says otherwise; credentials come
# from the AWS default chain (task role, IRSA, env), never from the image.
ENV CRUDDUR_BATCH_CONFIG=/app/jobs-config \
    SPRING_PROFILES_ACTIVE=prod
USER 10001
ENTRYPOINT ["java", "-jar", "/app/cruddur-batch.jar"]
CMD ["--help"]
