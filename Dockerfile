# The service image used by docker-compose.yml. Build the artifact first: ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
WORKDIR /deployments
COPY app/target/quarkus-app/ /deployments/
ENV INTERLOCK_DATA_DIR=/var/lib/interlock
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/deployments/quarkus-run.jar"]
