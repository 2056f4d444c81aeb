package dev.interlock.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files at the repository root (README, docker-compose.yml), wherever the test runs from. */
final class RepoFiles {
    private RepoFiles() {
    }

    static Path root() {
        String configured = System.getProperty("interlock.repo.root");
        Path p = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("docker-compose.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with docker-compose.yml) not found");
        }
        return p;
    }
}
