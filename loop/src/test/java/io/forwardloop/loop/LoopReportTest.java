package io.forwardloop.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoopReportTest {
    private static final FeedbackAccount BALANCED =
            new FeedbackAccount(100, 80, 12, 3, 1, 4, 6, 74, 16, 48, 6, 3, 0, 1, 0, 2, 0, 0, 4);

    @Test
    void shouldWriteTheReportKeysInSnakeCaseWithTheAccountInline() {
        LoopReport report =
                new LoopReport(
                        0.9, 0.92, 1, 5, 400, 100, BALANCED, true, 128, 32, 128, 2, 0, 60.0, 12.5,
                        40.0, 10, 8, 1, 1, 30);

        assertThat(report.toJson())
                .contains("\"initial_accuracy\" : 0.9")
                .contains("\"final_accuracy\" : 0.92")
                .contains("\"serving_version\" : 5")
                .contains("\"feedback_events\" : 80")
                .contains("\"feedback_expired\" : 12")
                .contains("\"trained_on\" : 48")
                .contains("\"pending_at_end\" : 6")
                .contains("\"dead_lettered_late\" : 3")
                .contains("\"dead_lettered\" : 4")
                .contains("\"dropped\" : 4")
                .contains("\"accounted\" : true")
                .contains("\"replay_signals\" : 32")
                .contains("\"signals\" : 128")
                .contains("\"steps\" : 128")
                .contains("\"seconds\" : 60.0")
                .contains("\"freshness_p50_s\" : 12.5")
                .contains("\"freshness_p99_s\" : 40.0")
                .contains("\"freshness_unplaced_batches\" : 30")
                .doesNotContain("\"feedback\" :");
        assertThat(report.summary()).contains("48 trained on").doesNotContain("not accounted");
    }

    @Test
    void shouldAccountForEveryFeedbackEventSentAndAccepted() {
        assertThat(BALANCED.imbalances()).isEmpty();
        assertThat(BALANCED.accounted()).isTrue();
    }

    @Test
    void shouldNameTheSumThatDoesNotAddUp() {
        // one accepted event the signal job never counted
        FeedbackAccount lost =
                new FeedbackAccount(100, 80, 12, 3, 1, 4, 6, 73, 16, 47, 6, 3, 0, 1, 0, 2, 0, 0, 4);

        assertThat(lost.accounted()).isFalse();
        assertThat(lost.imbalances())
                .singleElement()
                .asString()
                .contains("accepted 80 != trained on + pending + held out")
                .contains("79");
    }

    @Test
    void shouldNoticeFeedbackTheGatewayNeverAnswered() {
        FeedbackAccount unanswered =
                new FeedbackAccount(101, 80, 12, 3, 1, 4, 6, 74, 16, 48, 6, 3, 0, 1, 0, 2, 0, 0, 4);

        assertThat(unanswered.imbalances())
                .singleElement()
                .asString()
                .startsWith("sent 101 != accepted + expired + repeated + failed + unsent 100");
    }
}
