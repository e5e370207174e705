package io.forwardloop.e2e;

import io.forwardloop.loop.LocalLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop on the embedded platform: traffic in, a better adapter served back. */
class LoopE2E {
    @TempDir Path dir;

    @Test
    void shouldServeANewerBetterAdapterAndAccountForEveryFeedbackEvent() throws Exception {
        try (LocalLoop loop = LoopScenario.loop(dir).build().start()) {
            LoopScenario.runAndCheck(loop);
        }
    }
}
