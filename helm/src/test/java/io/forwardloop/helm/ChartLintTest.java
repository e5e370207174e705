package io.forwardloop.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;

class ChartLintTest {

    @Test
    void shouldLintStrictlyWithoutErrorsOrWarnings() {
        LintResult lint = new Helm(Chart.directory()).lint().strict().call();

        assertThat(lint.isFailed()).as("lint messages %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages())
                .noneMatch(message -> message.contains("[ERROR]") || message.contains("[WARNING]"));
    }
}
