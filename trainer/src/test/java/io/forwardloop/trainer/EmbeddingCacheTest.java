package io.forwardloop.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.ingest.encoder.Encoder;
import io.forwardloop.ingest.encoder.EncoderId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {
    /** Embeds a text as (length, vowel count), counting calls. */
    static final class CountingEncoder implements Encoder {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public float[][] embed(List<String> texts) {
            calls.incrementAndGet();
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < out.length; i++) {
                String text = texts.get(i);
                out[i] = new float[] {text.length(), text.replaceAll("[^aeiou]", "").length()};
            }
            return out;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public EncoderId id() {
            return EncoderId.MINILM;
        }

        @Override
        public int maxSequenceLength() {
            return 128;
        }

        @Override
        public void close() {}
    }

    @Test
    void shouldEmbedOnceAndReadTheCacheAfterwards(@TempDir Path dir) throws Exception {
        Path data = Files.writeString(dir.resolve("data.jsonl"), "{}");
        List<String> texts = List.of("a cat", "a dog", "the owl");
        EmbeddingCache cache = new EmbeddingCache(dir.resolve("embeddings"));
        CountingEncoder encoder = new CountingEncoder();
        String sha = EmbeddingCache.sha256(data);

        float[][] first = cache.activations(sha, texts, encoder, n -> {});
        float[][] second = cache.activations(sha, texts, encoder, n -> {});

        assertThat(encoder.calls.get()).isEqualTo(1);
        assertThat(second).isDeepEqualTo(first);
        assertThat(second[2]).containsExactly(7f, 2f);
        assertThat(cache.entry(sha, "minilm", 128)).exists();
    }

    @Test
    void shouldKeyEntriesByFileContent(@TempDir Path dir) throws Exception {
        Path one = Files.writeString(dir.resolve("one.jsonl"), "first");
        Path two = Files.writeString(dir.resolve("two.jsonl"), "second");

        assertThat(EmbeddingCache.sha256(one)).isNotEqualTo(EmbeddingCache.sha256(two));
        assertThat(EmbeddingCache.sha256(one))
                .isEqualTo("a7937b64b8caa58f03721bb6bacf5c78cb235febe0e70b1b84cd99541461a08e");
    }
}
