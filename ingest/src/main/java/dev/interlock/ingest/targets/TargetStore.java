package dev.interlock.ingest.targets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.interlock.ingest.targets.Target.Origin;
import dev.interlock.ingest.targets.Target.State;
import dev.interlock.model.Json;

/**
 * Table {@code targets} (migration V2): plain JDBC on the service's datasource. Every change draws a new
 * {@code revision} from one sequence, so the highest revision tells a watcher whether anything changed; rows are
 * never deleted (a removed target is state {@code removed}), so a removal is a change like any other.
 */
@Singleton
public class TargetStore {
    private static final String COLUMNS = "name, type, canister, gateway, settings, state, origin, config_hash, created_at, updated_at, revision";

    private final DataSource db;

    @Inject
    public TargetStore(DataSource db) {
        this.db = db;
    }

    /** Thrown when a target of that name exists (and is not removed). */
    public static final class Exists extends Exception {
        public Exists(String name) {
            super("a target named " + name + " exists already");
        }
    }

    /** What seeding from one configuration block did. */
    public enum Seeded {
        /** No row had the name: inserted, active. */
        INSERTED,
        /** The row was last seeded from this very configuration: left as it is (paused and removed stay so). */
        UNCHANGED,
        /** The configuration changed since (or never seeded this row): the row now holds it; a removed row is active again. */
        UPDATED
    }

    public List<Target> list(boolean withRemoved) {
        return query("SELECT " + COLUMNS + " FROM targets" + (withRemoved ? "" : " WHERE state <> 'removed'") + " ORDER BY name");
    }

    /** The target, unless there is none or it was removed. */
    public Optional<Target> find(String name) {
        return query("SELECT " + COLUMNS + " FROM targets WHERE name = ? AND state <> 'removed'", name).stream().findFirst();
    }

    /** The highest revision: changes whenever any row does. */
    public long revision() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement("SELECT coalesce(max(revision), 0) FROM targets");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read table targets: " + e.getMessage(), e);
        }
    }

    /** Adds an active target through the API; a removed one of that name is replaced. */
    public Target add(TargetSpec spec) throws Exists {
        return inTransaction(c -> {
            Optional<Target> row = lock(c, spec.name());
            if (row.isPresent() && row.get().state() != State.REMOVED) {
                return null;
            }
            if (row.isPresent()) {
                update(c, "UPDATE targets SET type = ?, canister = ?, gateway = ?, settings = ?::jsonb, state = 'active', origin = 'api', "
                        + "config_hash = NULL, created_at = now(), updated_at = now(), revision = nextval('targets_revision_seq') "
                        + "WHERE name = ?", spec.type(), spec.canister(), spec.gateway(), json(spec.settings()), spec.name());
            } else if (update(c, "INSERT INTO targets (name, type, canister, gateway, settings, state, origin) "
                    + "VALUES (?, ?, ?, ?, ?::jsonb, 'active', 'api') ON CONFLICT (name) DO NOTHING", spec.name(), spec.type(),
                    spec.canister(), spec.gateway(), json(spec.settings())) == 0) {
                return null; // added concurrently
            }
            return lock(c, spec.name()).orElseThrow();
        }).orElseThrow(() -> new Exists(spec.name()));
    }

    /** Sets a target's state (pause, resume, remove); empty when there is no such target. A no-op keeps the revision. */
    public Optional<Target> setState(String name, State state) {
        return inTransaction(c -> {
            Optional<Target> row = lock(c, name);
            if (row.isEmpty() || row.get().state() == State.REMOVED) {
                return null;
            }
            if (row.get().state() != state) {
                update(c, "UPDATE targets SET state = ?, updated_at = now(), revision = nextval('targets_revision_seq') WHERE name = ?",
                        state.label(), name);
            }
            return lock(c, name).orElseThrow();
        });
    }

    /**
     * Applies one configuration block: inserts it when no row has its name; when the row was last seeded from a
     * block with this fingerprint, leaves it alone (a target paused or removed through the API stays so across
     * restarts); otherwise the configuration changed (or the row came from the API): the row takes the block's
     * definition and becomes active again unless paused.
     */
    public Seeded seed(TargetSpec spec) {
        String hash = spec.fingerprint();
        return inTransaction(c -> {
            Optional<Target> row = lock(c, spec.name());
            if (row.isEmpty()) {
                int n = update(c, "INSERT INTO targets (name, type, canister, gateway, settings, state, origin, config_hash) "
                        + "VALUES (?, ?, ?, ?, ?::jsonb, 'active', 'config', ?) ON CONFLICT (name) DO NOTHING", spec.name(), spec.type(),
                        spec.canister(), spec.gateway(), json(spec.settings()), hash);
                return n == 1 ? Seeded.INSERTED : Seeded.UNCHANGED; // another instance seeded it at the same moment
            }
            if (hash.equals(row.get().configHash())) {
                return Seeded.UNCHANGED;
            }
            update(c, "UPDATE targets SET type = ?, canister = ?, gateway = ?, settings = ?::jsonb, origin = 'config', config_hash = ?, "
                    + "state = CASE WHEN state = 'paused' THEN 'paused' ELSE 'active' END, updated_at = now(), "
                    + "revision = nextval('targets_revision_seq') WHERE name = ?", spec.type(), spec.canister(), spec.gateway(),
                    json(spec.settings()), hash, spec.name());
            return Seeded.UPDATED;
        }).orElseThrow();
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> Optional<T> inTransaction(Work<T> work) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return Optional.ofNullable(result);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write table targets: " + e.getMessage(), e);
        }
    }

    private static Optional<Target> lock(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM targets WHERE name = ? FOR UPDATE")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }

    private List<Target> query(String sql, Object... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            List<Target> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read table targets: " + e.getMessage(), e);
        }
    }

    private static Target row(ResultSet rs) throws SQLException {
        Map<String, String> settings = Json.mapper().convertValue(readTree(rs.getString("settings")),
                new TypeReference<TreeMap<String, String>>() {
                });
        return new Target(new TargetSpec(rs.getString("name"), rs.getString("type"), rs.getString("canister"), rs.getString("gateway"),
                settings), State.of(rs.getString("state")), Origin.of(rs.getString("origin")), rs.getString("config_hash"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getLong("revision"));
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) throws SQLException {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new SQLException("settings are not JSON: " + e.getMessage(), e);
        }
    }

    private static String json(Map<String, String> settings) {
        return new String(Json.encode(new TreeMap<>(settings)), java.nio.charset.StandardCharsets.UTF_8);
    }
}
