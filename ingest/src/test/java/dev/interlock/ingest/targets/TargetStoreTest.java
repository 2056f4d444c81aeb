package dev.interlock.ingest.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.interlock.embedded.EmbeddedPostgresServer;
import dev.interlock.ingest.targets.Target.Origin;
import dev.interlock.ingest.targets.Target.State;
import dev.interlock.testsupport.SharedServices;

/** Table {@code targets} on the embedded PostgreSQL, migrated with the service's own migration. */
class TargetStoreTest {
    private static final String LEDGER = "mxzaz-hqaaa-aaaar-qaada-cai";
    private TargetStore store;

    private static TargetSpec spec(String name, String start) {
        return new TargetSpec(name, "ledger-icrc", LEDGER, "https://icp-api.io", Map.of("start", start));
    }

    @BeforeEach
    void migrate() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(SharedServices.freshDatabase("targets_store_test"));
        ds.setUser(EmbeddedPostgresServer.USER);
        ds.setPassword(EmbeddedPostgresServer.PASSWORD);
        String sql;
        try (var in = getClass().getResourceAsStream("/db/migration/V2__targets.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        store = new TargetStore(ds);
    }

    @Test
    void everyChangeRaisesTheRevisionAndANoOpDoesNot() throws Exception {
        assertThat(store.revision()).isZero();
        Target added = store.add(spec("a", "genesis"));
        assertThat(added.state()).isEqualTo(State.ACTIVE);
        assertThat(added.origin()).isEqualTo(Origin.API);
        assertThat(added.spec()).isEqualTo(spec("a", "genesis"));
        long afterAdd = store.revision();
        assertThat(afterAdd).isEqualTo(added.revision()).isPositive();

        Target paused = store.setState("a", State.PAUSED).orElseThrow();
        assertThat(paused.revision()).isGreaterThan(afterAdd);
        assertThat(store.setState("a", State.PAUSED).orElseThrow().revision()).as("pausing again changes nothing")
                .isEqualTo(paused.revision());
        assertThat(store.revision()).isEqualTo(paused.revision());

        Target removed = store.setState("a", State.REMOVED).orElseThrow();
        assertThat(removed.revision()).as("a removal is a change the watchers see").isGreaterThan(paused.revision());
        assertThat(store.find("a")).isEmpty();
        assertThat(store.list(false)).isEmpty();
        assertThat(store.list(true)).extracting(Target::state).containsExactly(State.REMOVED);
        assertThat(store.setState("a", State.ACTIVE)).as("a removed target cannot be resumed").isEmpty();
        assertThat(store.setState("nobody", State.PAUSED)).isEmpty();
    }

    @Test
    void aSecondTargetOfTheSameNameIsRefusedUntilTheFirstIsRemoved() throws Exception {
        store.add(spec("a", "genesis"));
        assertThatThrownBy(() -> store.add(spec("a", "tip"))).isInstanceOf(TargetStore.Exists.class)
                .hasMessage("a target named a exists already");
        store.setState("a", State.REMOVED);
        Target again = store.add(spec("a", "tip"));
        assertThat(again.state()).isEqualTo(State.ACTIVE);
        assertThat(again.spec().settings()).containsEntry("start", "tip");
    }

    @Test
    void configurationSeedsMissingRowsOnlyAndATargetRemovedThroughTheApiStaysRemovedUntilItsConfigurationChanges() {
        assertThat(store.seed(spec("cfg", "genesis"))).isEqualTo(TargetStore.Seeded.INSERTED);
        Target seeded = store.find("cfg").orElseThrow();
        assertThat(seeded.origin()).isEqualTo(Origin.CONFIG);
        assertThat(seeded.configHash()).isEqualTo(spec("cfg", "genesis").fingerprint());

        // a restart with the same configuration keeps what the API did
        store.setState("cfg", State.PAUSED);
        assertThat(store.seed(spec("cfg", "genesis"))).isEqualTo(TargetStore.Seeded.UNCHANGED);
        assertThat(store.find("cfg").orElseThrow().state()).isEqualTo(State.PAUSED);
        store.setState("cfg", State.REMOVED);
        long revision = store.revision();
        assertThat(store.seed(spec("cfg", "genesis"))).isEqualTo(TargetStore.Seeded.UNCHANGED);
        assertThat(store.find("cfg")).as("removed through the API, not re-seeded").isEmpty();
        assertThat(store.revision()).isEqualTo(revision);

        // changed configuration is applied, and brings the removed target back
        assertThat(store.seed(spec("cfg", "tip"))).isEqualTo(TargetStore.Seeded.UPDATED);
        Target back = store.find("cfg").orElseThrow();
        assertThat(back.state()).isEqualTo(State.ACTIVE);
        assertThat(back.spec().settings()).containsEntry("start", "tip");
        assertThat(back.revision()).isGreaterThan(revision);
    }

    @Test
    void changedConfigurationOfAPausedTargetIsAppliedButItStaysPaused() {
        store.seed(spec("cfg", "genesis"));
        store.setState("cfg", State.PAUSED);
        assertThat(store.seed(spec("cfg", "100"))).isEqualTo(TargetStore.Seeded.UPDATED);
        Target t = store.find("cfg").orElseThrow();
        assertThat(t.state()).isEqualTo(State.PAUSED);
        assertThat(t.spec().settings()).containsEntry("start", "100");
    }

    @Test
    void configurationNamingATargetAddedThroughTheApiTakesItOver() throws Exception {
        store.add(spec("both", "genesis"));
        assertThat(store.seed(spec("both", "genesis"))).isEqualTo(TargetStore.Seeded.UPDATED);
        assertThat(store.find("both").orElseThrow().origin()).isEqualTo(Origin.CONFIG);
        assertThat(store.seed(spec("both", "genesis"))).isEqualTo(TargetStore.Seeded.UNCHANGED);
    }
}
