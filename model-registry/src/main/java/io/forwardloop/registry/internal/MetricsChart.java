package io.forwardloop.registry.internal;

import io.forwardloop.registry.AdapterVersion;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inline SVG line chart of holdout metrics over time: x is each version's publication time, y
 * the metric's value, one series per metric.
 *
 * <p>Each point is a {@code circle} with class {@code point} and the attributes {@code
 * data-metric}, {@code data-version}, {@code data-time} (publication time, milliseconds since the
 * epoch) and {@code data-value} (the exact stored value); its tooltip names the version. The x axis
 * is the {@code line} with class {@code x-axis}; it runs from the svg's {@code data-from-ms} to its
 * {@code data-to-ms}. Versions are labelled under the axis where there is room. Nothing is fetched:
 * the page works offline.
 */
final class MetricsChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 300;
    private static final int LEFT = 56;
    private static final int RIGHT = 120;
    private static final int TOP = 16;
    private static final int BOTTOM = 56;
    private static final int LABEL_GAP = 24;
    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"
    };
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
                    .withZone(ZoneOffset.UTC);
    private static final Comparator<Point> BY_TIME =
            Comparator.comparingLong(Point::timeMs).thenComparingLong(Point::version);

    private MetricsChart() {}

    /** A point of a series: a version's value of one metric, at its publication time. */
    record Point(long version, long timeMs, double value) {}

    /** Returns the series by metric name, each ordered by publication time. */
    static Map<String, List<Point>> series(List<AdapterVersion> versions) {
        Map<String, List<Point>> series = new TreeMap<>();
        for (AdapterVersion v : versions) {
            v.metrics()
                    .forEach(
                            (metric, value) ->
                                    series.computeIfAbsent(metric, k -> new ArrayList<>())
                                            .add(new Point(v.version(), v.createdAtMs(), value)));
        }
        series.values().forEach(points -> points.sort(BY_TIME));
        return series;
    }

    /** Renders the chart, or a short note when no version has metrics. */
    static String svg(List<AdapterVersion> versions) {
        Map<String, List<Point>> series = series(versions);
        if (series.isEmpty()) {
            return "<p class=\"no-metrics\">No version has holdout metrics yet.</p>";
        }
        Scale scale = Scale.of(series);
        StringBuilder svg = new StringBuilder();
        svg.append(
                String.format(
                        Locale.ROOT,
                        "<svg id=\"metrics-chart\" xmlns=\"http://www.w3.org/2000/svg\""
                                + " width=\"%d\" height=\"%d\" data-from-ms=\"%d\""
                                + " data-to-ms=\"%d\" role=\"img\" aria-label=\"holdout"
                                + " metrics over time\">",
                        WIDTH,
                        HEIGHT,
                        scale.minTime,
                        scale.maxTime));
        axes(svg, scale);
        versionLabels(svg, scale, series);
        int i = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            line(svg, scale, e.getKey(), e.getValue(), COLORS[i % COLORS.length], i);
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static void axes(StringBuilder svg, Scale s) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        svg.append(line(x0, TOP, x0, y0, "y-axis")).append(line(x0, y0, x1, y0, "x-axis"));
        svg.append(text(x0 - 6, y0, "end", fmt(s.minValue)));
        svg.append(text(x0 - 6, TOP + 10, "end", fmt(s.maxValue)));
        if (s.minTime == s.maxTime) {
            svg.append(text((x0 + x1) / 2, y0 + 30, "middle", time(s.minTime)));
        } else {
            svg.append(text(x0, y0 + 30, "start", time(s.minTime)));
            svg.append(text(x1, y0 + 30, "end", time(s.maxTime)));
        }
        svg.append(text((x0 + x1) / 2, HEIGHT - 6, "middle", "publication time (UTC)"));
    }

    /** Labels each version under the axis at its time, leaving out labels that would overlap. */
    private static void versionLabels(StringBuilder svg, Scale s, Map<String, List<Point>> series) {
        Map<Long, Point> byVersion = new TreeMap<>();
        series.values().forEach(points -> points.forEach(p -> byVersion.putIfAbsent(p.version, p)));
        List<Point> ordered = new ArrayList<>(byVersion.values());
        ordered.sort(BY_TIME);
        double last = Double.NEGATIVE_INFINITY;
        for (Point p : ordered) {
            double x = s.x(p.timeMs());
            if (x - last < LABEL_GAP) {
                continue;
            }
            last = x;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text class=\"version-label\" data-version=\"%d\" x=\"%.1f\" y=\"%d\""
                                    + " font-size=\"10\" text-anchor=\"middle\">v%d</text>",
                            p.version(),
                            x,
                            HEIGHT - BOTTOM + 14,
                            p.version()));
        }
    }

    private static void line(
            StringBuilder svg, Scale s, String metric, List<Point> points, String color, int row) {
        StringBuilder path = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (Point p : points) {
            double x = s.x(p.timeMs());
            double y = s.y(p.value());
            path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(point(metric, p, x, y, color));
        }
        svg.append("<g class=\"series\" data-metric=\"").append(Html.esc(metric)).append("\">");
        svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"")
                .append(color)
                .append("\" points=\"")
                .append(path.toString().trim())
                .append("\"/>");
        svg.append(dots);
        int legendY = TOP + 14 + 18 * row;
        svg.append(
                text(WIDTH - RIGHT + 12, legendY, "start", metric)
                        .replace("<text", "<text fill=\"" + color + "\""));
        svg.append("</g>");
    }

    private static String point(String metric, Point p, double x, double y, String color) {
        return String.format(
                Locale.ROOT,
                "<circle class=\"point\" data-metric=\"%s\" data-version=\"%d\" data-time=\"%d\""
                        + " data-value=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">"
                        + "<title>v%d: %s = %s, published %s</title></circle>",
                Html.esc(metric),
                p.version(),
                p.timeMs(),
                p.value(),
                x,
                y,
                color,
                p.version(),
                Html.esc(metric),
                p.value(),
                time(p.timeMs()));
    }

    private static String line(int x1, int y1, int x2, int y2, String cssClass) {
        return String.format(
                Locale.ROOT,
                "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
                cssClass,
                x1,
                y1,
                x2,
                y2);
    }

    private static String text(int x, int y, String anchor, String label) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%s</text>",
                x,
                y,
                anchor,
                Html.esc(label));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static String time(long ms) {
        return TIME.format(Instant.ofEpochMilli(ms));
    }

    /** Maps publication times and values to pixels. */
    private record Scale(long minTime, long maxTime, double minValue, double maxValue) {
        static Scale of(Map<String, List<Point>> series) {
            List<Point> all = series.values().stream().flatMap(List::stream).toList();
            long minT = all.stream().mapToLong(Point::timeMs).min().orElseThrow();
            long maxT = all.stream().mapToLong(Point::timeMs).max().orElseThrow();
            double min = all.stream().mapToDouble(Point::value).min().orElseThrow();
            double max = all.stream().mapToDouble(Point::value).max().orElseThrow();
            double pad = max > min ? 0 : Math.max(Math.abs(max) * 0.05, 0.05);
            return new Scale(minT, maxT, min - pad, max + pad);
        }

        /** The x of a time: proportional between the first and last publication. */
        double x(long timeMs) {
            double offset =
                    maxTime == minTime ? 0.5 : (double) (timeMs - minTime) / (maxTime - minTime);
            return LEFT + offset * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            double span = maxValue - minValue;
            return HEIGHT - BOTTOM - (value - minValue) / span * (HEIGHT - BOTTOM - TOP - 10);
        }
    }
}
