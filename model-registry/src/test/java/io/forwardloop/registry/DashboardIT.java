package io.forwardloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.forwardloop.registry.client.RegistryClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real headless Chromium, on H2 and on PostgreSQL: the chart shows exactly the
 * published metric points, each placed at its version's publication time.
 *
 * <p>Needs {@value #CHROMIUM} and {@value #CHROMEDRIVER}; without them the test is skipped, unless
 * {@code CI=true} or {@code -Dforwardloop.require.browser=true}, where it fails.
 */
class DashboardIT {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    @TempDir Path dataDir;
    @TempDir Path profileDir;

    private TestDatabase database;
    private ModelRegistryServer server;
    private ChromeDriver browser;

    @BeforeEach
    void startBrowser() {
        requireBrowser();
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

    private void startRegistry(String kind, ManualClock clock) {
        database = TestDatabase.create(kind, dataDir);
        server = database.registry().authToken("t").clock(clock).build().start();
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
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @OnEachDatabase
    void shouldChartExactlyThePublishedHoldoutMetricsAtTheirPublicationTimes(String kind)
            throws Exception {
        ManualClock clock = new ManualClock(START);
        startRegistry(kind, clock);
        RegistryClient client = RegistryClient.builder().url(server.url()).token("t").build();
        double[] accuracy = {0.61, 0.68, 0.735, 0.79};
        Duration[] gaps = {
            Duration.ZERO, Duration.ofHours(2), Duration.ofMinutes(5), Duration.ofHours(4)
        };
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
            clock.advance(gaps[i]);
            client.publish("sentiment", ("weights-" + i).getBytes(StandardCharsets.UTF_8), meta);
        }
        client.promote("sentiment", "serving", 4);

        browser.get(server.url() + "/ui/adapters/sentiment");
        WebElement chart = browser.findElement(By.id("metrics-chart"));
        List<WebElement> points =
                chart.findElements(By.cssSelector("circle.point[data-metric='accuracy']"));
        Map<Long, Double> charted = byVersion(points, "data-value", Double::parseDouble);
        Map<Long, Long> times = byVersion(points, "data-time", Long::parseLong);
        Map<Long, Double> xs = byVersion(points, "cx", Double::parseDouble);
        Files.createDirectories(Path.of("target"));
        Path png = Path.of("target", "dashboard-" + kind + ".png");
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));

        assertThat(charted)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(1L, 0.61, 2L, 0.68, 3L, 0.735, 4L, 0.79));
        assertThat(times)
                .isEqualTo(
                        client.versions("sentiment").stream()
                                .collect(
                                        Collectors.toMap(
                                                AdapterVersion::version,
                                                AdapterVersion::createdAtMs)))
                .containsEntry(1L, START.toEpochMilli())
                .containsEntry(3L, START.plus(Duration.ofMinutes(125)).toEpochMilli());
        assertPlacedByTime(chart, xs, times);
        assertThat(chart.findElements(By.cssSelector("circle.point"))).hasSize(8);
        assertThat(points)
                .filteredOn(p -> "3".equals(p.getDomAttribute("data-version")))
                .singleElement()
                .extracting(p -> p.findElement(By.tagName("title")).getDomProperty("textContent"))
                .isEqualTo("v3: accuracy = 0.735, published 2026-03-02 10:05:00");
        assertThat(chart.findElements(By.cssSelector("text.version-label")))
                .extracting(l -> l.getDomAttribute("data-version"))
                .as("v3 is 5 minutes after v2, too close for its own label")
                .containsExactly("1", "2", "4");
        assertThat(browser.findElement(By.tagName("body")).getText())
                .contains("Holdout metrics over time");
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

    /** Each point's x lies where its publication time falls between the axis's two ends. */
    private static void assertPlacedByTime(
            WebElement chart, Map<Long, Double> xs, Map<Long, Long> times) {
        WebElement axis = chart.findElement(By.cssSelector("line.x-axis"));
        double x1 = Double.parseDouble(axis.getDomAttribute("x1"));
        double x2 = Double.parseDouble(axis.getDomAttribute("x2"));
        long from = Long.parseLong(chart.getDomAttribute("data-from-ms"));
        long to = Long.parseLong(chart.getDomAttribute("data-to-ms"));
        assertThat(from).isEqualTo(START.toEpochMilli());
        assertThat(to).isEqualTo(START.plus(Duration.ofMinutes(365)).toEpochMilli());
        times.forEach(
                (version, time) ->
                        assertThat(xs.get(version))
                                .as("x of version %d", version)
                                .isCloseTo(
                                        x1 + (double) (time - from) / (to - from) * (x2 - x1),
                                        within(0.1)));
        assertThat(xs.get(3L) - xs.get(2L))
                .as("versions 2 and 3 were published 5 minutes apart, of 6 hours charted")
                .isLessThan(0.02 * (x2 - x1));
    }

    private static <T> Map<Long, T> byVersion(
            List<WebElement> points, String attribute, Function<String, T> parse) {
        return points.stream()
                .collect(
                        Collectors.toMap(
                                p -> Long.parseLong(p.getDomAttribute("data-version")),
                                p -> parse.apply(p.getDomAttribute(attribute))));
    }
}
