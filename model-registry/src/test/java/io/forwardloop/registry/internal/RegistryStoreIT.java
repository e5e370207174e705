package io.forwardloop.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.forwardloop.registry.AdapterMetadata;
import io.forwardloop.registry.AdapterVersion;
import io.forwardloop.registry.AliasInfo;
import io.forwardloop.registry.Lineage;
import io.forwardloop.registry.OnEachDatabase;
import io.forwardloop.registry.RegistryException;
import io.forwardloop.registry.RegistryException.Reason;
import io.forwardloop.registry.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** The store against each supported database: H2 in PostgreSQL mode and a real PostgreSQL. */
class RegistryStoreIT {
    @TempDir Path tempDir;

    private TestDatabase testDb;
    private Database database;
    private RegistryStore store;

    private void open(String kind) {
        testDb = TestDatabase.create(kind, tempDir);
        database = Database.open(testDb.url(), testDb.user(), testDb.password(), 4);
        store = new RegistryStore(database, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        if (testDb != null) {
            testDb.close();
        }
    }

    static AdapterMetadata meta(double accuracy, Lineage lineage) {
        return new AdapterMetadata(
                "LOW_RANK_CLASSIFIER",
                "bge-small-en-v1.5-q",
                List.of("negative", "positive"),
                Map.of("accuracy", accuracy),
                Map.of("rank", 8, "optimizer", "mezo"),
                lineage);
    }

    private AdapterVersion publish(String name, String content, Lineage lineage) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return store.publish(name, bytes, Hashes.sha256(bytes), meta(0.8, lineage)).version();
    }

    @OnEachDatabase
    void shouldReturnTheExistingVersionWhenTheSameBytesArePublishedAgain(String kind) {
        open(kind);
        byte[] bytes = "weights-a".getBytes(StandardCharsets.UTF_8);
        String sha = Hashes.sha256(bytes);

        RegistryStore.Published first = store.publish("sentiment", bytes, sha, meta(0.7, null));
        RegistryStore.Published again = store.publish("sentiment", bytes, sha, meta(0.9, null));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.version()).isEqualTo(first.version());
        assertThat(store.versions("sentiment")).hasSize(1);
        assertThat(store.artifact(sha)).isEqualTo(bytes);
    }

    @OnEachDatabase
    void shouldNumberNewArtifactsOneAfterAnotherPerAdapter(String kind) {
        open(kind);
        AdapterVersion a1 = publish("a", "one", null);
        AdapterVersion a2 = publish("a", "two", Lineage.none());
        AdapterVersion b1 = publish("b", "one", null);

        assertThat(List.of(a1.version(), a2.version(), b1.version())).containsExactly(1L, 2L, 1L);
        assertThat(b1.artifactSha256()).isEqualTo(a1.artifactSha256());
        assertThat(a2.metrics()).containsEntry("accuracy", 0.8);
        assertThat(a2.hyperparameters()).containsEntry("optimizer", "mezo");
        assertThat(store.adapter("a").latestVersion()).isEqualTo(2);
    }

    @OnEachDatabase
    void shouldWriteNothingWhenAPublishIsRefused(String kind) {
        open(kind);
        byte[] bytes = "orphan".getBytes(StandardCharsets.UTF_8);
        String sha = Hashes.sha256(bytes);
        Lineage missingParent = new Lineage(7L, 0L, 9L, null, null);

        assertThatThrownBy(() -> store.publish("x", bytes, sha, meta(0.5, missingParent)))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("parent_version 7");

        assertThat(store.adapters()).isEmpty();
        assertThatThrownBy(() -> store.artifact(sha)).hasMessageContaining("no artifact has");
        assertThatThrownBy(() -> store.adapter("x"))
                .hasMessageContaining("adapter 'x' does not exist");
    }

    @OnEachDatabase
    void shouldRollBackThroughEarlierPromotionsLikeAStack(String kind) {
        open(kind);
        publish("s", "v1", null);
        publish("s", "v2", null);
        publish("s", "v3", null);
        store.promote("s", "serving", 1);
        store.promote("s", "serving", 2);
        store.promote("s", "serving", 3);

        AliasInfo back1 = store.rollback("s", "serving");
        AliasInfo back2 = store.rollback("s", "serving");

        assertThat(back1.version()).isEqualTo(2);
        assertThat(back1.previousVersion()).isEqualTo(3);
        assertThat(back2.version()).isEqualTo(1);
        assertThatThrownBy(() -> store.rollback("s", "serving"))
                .hasMessageContaining("no earlier version to roll back to");
        List<OutboxEvent> events = store.unsentEvents(100);
        assertThat(events)
                .extracting(OutboxEvent::eventType, OutboxEvent::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("PROMOTED", 1L),
                        org.assertj.core.groups.Tuple.tuple("PROMOTED", 2L),
                        org.assertj.core.groups.Tuple.tuple("PROMOTED", 3L),
                        org.assertj.core.groups.Tuple.tuple("ROLLED_BACK", 2L),
                        org.assertj.core.groups.Tuple.tuple("ROLLED_BACK", 1L));
        assertThat(events.get(0).key()).isEqualTo("s/serving");
    }

    @OnEachDatabase
    void shouldRefuseToPromoteARetiredVersionOrRetireAServedOne(String kind) {
        open(kind);
        publish("r", "v1", null);
        publish("r", "v2", null);
        store.promote("r", "serving", 1);

        assertThatThrownBy(() -> store.retire("r", 1))
                .hasMessageContaining("is what [serving] point to");
        assertThat(store.retire("r", 2).retired()).isTrue();
        assertThatThrownBy(() -> store.promote("r", "serving", 2))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("is retired and cannot be promoted")
                .extracting(e -> ((RegistryException) e).reason())
                .isEqualTo(Reason.CONFLICT);
        assertThat(store.alias("r", "serving").version()).isEqualTo(1);
        assertThat(store.unsentEvents(10)).hasSize(1);
    }

    @OnEachDatabase
    void shouldFollowTheLineageBackToTheFirstVersion(String kind) {
        open(kind);
        publish("l", "v1", null);
        publish("l", "v2", new Lineage(1L, 0L, 99L, 1000L, 2000L));
        publish("l", "v3", new Lineage(2L, 100L, 199L, 2000L, 3000L));

        List<AdapterVersion> chain = store.lineage("l", 3);

        assertThat(chain).extracting(AdapterVersion::version).containsExactly(3L, 2L, 1L);
        assertThat(chain.get(0).lineage().stepCount()).isEqualTo(100);
        assertThatThrownBy(() -> store.lineage("l", 9)).hasMessageContaining("has no version 9");
    }

    @OnEachDatabase
    void shouldGiveConcurrentPublishesDistinctVersions(String kind) throws Exception {
        open(kind);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<AdapterVersion>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String content = "concurrent-" + i;
            futures.add(pool.submit(() -> publish("c", content, null)));
        }
        List<Long> versions = new ArrayList<>();
        for (Future<AdapterVersion> f : futures) {
            versions.add(f.get().version());
        }
        pool.shutdown();

        assertThat(versions)
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(store.adapter("c").versionCount()).isEqualTo(12);
    }
}
