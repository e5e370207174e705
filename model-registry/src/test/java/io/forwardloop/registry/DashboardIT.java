package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.forwardloop.registry.client.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium: the chart shows exactly the published metric points.
 *
 * <p>Needs {@value #CHROMIUM} and {@value #CHROMEDRIVER}; without them the test is skipped, unless
 * {@code CI=true} or {@code -Dforwardloop.require.browser=true}, where it fails.
 */
class DashboardIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    @TempDir Path dataDir;
    @TempDir Path profileDir;

    private ModelRegistryServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        requireBrowser();
        server =
                ModelRegistryServer.builder()
                        .port(0)
                        .dataDir(dataDir)
                        .authToken("t")
                        .build()
                        .start();
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
                        .usingAnyFreePort()
                        .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1400",
                "--user-data-dir=" + profileDir);
        browser = new ChromeDriver(service, options);
    }

    private static void requireBrowser() {
        boolean present =
                Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        boolean required =
                "true".equalsIgnoreCase(System.getenv("CI"))
                        || Boolean.getBoolean("forwardloop.require.browser");
        String reason =
                "the dashboard test needs "
                        + CHROMIUM
                        + " and "
                        + CHROMEDRIVER
                        + " (Debian packages chromium and chromium-driver)";
        if (!present && required) {
            throw new AssertionError(
                    reason + "; they are required here (CI=true or forwardloop.require.browser)");
        }
        Assumptions.assumeTrue(present, reason);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldChartExactlyThePublishedHoldoutMetrics() throws Exception {
        RegistryClient client = RegistryClient.builder().url(server.url()).token("t").build();
        double[] accuracy = {0.61, 0.68, 0.735, 0.79};
        for (int i = 0; i < accuracy.length; i++) {
            Long parent = i == 0 ? null : (long) i;
            AdapterMetadata meta =
                    new AdapterMetadata(
                            "LOW_RANK_CLASSIFIER",
                            "bge-small-en-v1.5-q",
                            List.of("negative", "positive"),
                            Map.of("accuracy", accuracy[i], "loss", 1 - accuracy[i]),
                            Map.of(),
                            new Lineage(parent, 100L * i, 100L * i + 99, null, null));
            client.publish("sentiment", ("weights-" + i).getBytes(StandardCharsets.UTF_8), meta);
        }
        client.promote("sentiment", "serving", 4);

        browser.get(server.url() + "/ui/adapters/sentiment");
        List<WebElement> points =
                browser.findElements(
                        By.cssSelector("#metrics-chart circle.point[data-metric='accuracy']"));
        Map<Long, Double> charted =
                points.stream()
                        .collect(
                                Collectors.toMap(
                                        p -> Long.parseLong(p.getDomAttribute("data-version")),
                                        p -> Double.parseDouble(p.getDomAttribute("data-value"))));
        Files.createDirectories(Path.of("target"));
        Path png = Path.of("target", "dashboard.png");
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));

        assertThat(charted)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(1L, 0.61, 2L, 0.68, 3L, 0.735, 4L, 0.79));
        assertThat(browser.findElements(By.cssSelector("#metrics-chart circle.point"))).hasSize(8);
        assertThat(
                        browser.findElement(By.cssSelector("#aliases tr[data-alias='serving']"))
                                .getText())
                .contains("serving 4");
        assertThat(
                        browser.findElement(
                                        By.cssSelector("#versions tr[data-version='3'] td.steps"))
                                .getText())
                .isEqualTo("100");
        assertThat(browser.findElements(By.cssSelector("#lineage li"))).hasSize(4);
        assertThat(Files.size(png)).isGreaterThan(1000);
        browser.get(server.url() + "/");
        assertThat(browser.findElement(By.cssSelector("#adapters")).getText())
                .contains("sentiment");
    }
}
