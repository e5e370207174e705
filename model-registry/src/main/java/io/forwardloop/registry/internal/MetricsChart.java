package io.forwardloop.registry.internal;

import io.forwardloop.registry.AdapterVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An inline SVG line chart of holdout metrics by version, one series per metric.
 *
 * <p>Each point is a {@code circle} with class {@code point} and the attributes {@code
 * data-metric}, {@code data-version} and {@code data-value} (the exact stored value), so the chart
 * can be checked from the DOM. Nothing is fetched: the page works offline.
 */
final class MetricsChart {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 280;
    private static final int LEFT = 56;
    private static final int RIGHT = 120;
    private static final int TOP = 16;
    private static final int BOTTOM = 36;
    private static final String[] COLORS = {
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"
    };

    private MetricsChart() {}

    /** A point of a series. */
    record Point(long version, double value) {}

    /** Returns the series by metric name, each ordered by version. */
    static Map<String, List<Point>> series(List<AdapterVersion> versions) {
        Map<String, List<Point>> series = new TreeMap<>();
        for (AdapterVersion v : versions) {
            v.metrics()
                    .forEach(
                            (metric, value) ->
                                    series.computeIfAbsent(metric, k -> new ArrayList<>())
                                            .add(new Point(v.version(), value)));
        }
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
                                + " width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"holdout"
                                + " metrics by version\">",
                        WIDTH,
                        HEIGHT));
        axes(svg, scale);
        int i = 0;
        for (Map.Entry<String, List<Point>> e : series.entrySet()) {
            line(svg, scale, e.getKey(), e.getValue(), COLORS[i % COLORS.length], i);
            i++;
        }
        return svg.append("</svg>").toString();
    }

    private static void axes(StringBuilder svg, Scale s) {
        int x0 = LEFT;
        int y0 = HEIGHT - BOTTOM;
        svg.append(line(x0, TOP, x0, y0)).append(line(x0, y0, WIDTH - RIGHT, y0));
        svg.append(text(x0 - 6, y0, "end", fmt(s.minValue)));
        svg.append(text(x0 - 6, TOP + 10, "end", fmt(s.maxValue)));
        svg.append(text(x0, y0 + 16, "middle", "v" + s.minVersion));
        svg.append(text(WIDTH - RIGHT, y0 + 16, "middle", "v" + s.maxVersion));
        svg.append(text((x0 + WIDTH - RIGHT) / 2, HEIGHT - 4, "middle", "version"));
    }

    private static void line(
            StringBuilder svg, Scale s, String metric, List<Point> points, String color, int row) {
        StringBuilder path = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (Point p : points) {
            double x = s.x(p.version());
            double y = s.y(p.value());
            path.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            dots.append(
                    String.format(
                            Locale.ROOT,
                            "<circle class=\"point\" data-metric=\"%s\" data-version=\"%d\""
                                    + " data-value=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\""
                                    + " fill=\"%s\"><title>v%d %s = %s</title></circle>",
                            Html.esc(metric),
                            p.version(),
                            p.value(),
                            x,
                            y,
                            color,
                            p.version(),
                            Html.esc(metric),
                            p.value()));
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

    private static String line(int x1, int y1, int x2, int y2) {
        return String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>",
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

    /** Maps versions and values to pixels. */
    private record Scale(long minVersion, long maxVersion, double minValue, double maxValue) {
        static Scale of(Map<String, List<Point>> series) {
            List<Point> all = series.values().stream().flatMap(List::stream).toList();
            long minV = all.stream().mapToLong(Point::version).min().orElseThrow();
            long maxV = all.stream().mapToLong(Point::version).max().orElseThrow();
            double min = all.stream().mapToDouble(Point::value).min().orElseThrow();
            double max = all.stream().mapToDouble(Point::value).max().orElseThrow();
            double pad = max > min ? 0 : Math.max(Math.abs(max) * 0.05, 0.05);
            return new Scale(minV, maxV, min - pad, max + pad);
        }

        double x(long version) {
            double span = Math.max(1, maxVersion - minVersion);
            double offset = maxVersion == minVersion ? 0.5 : (version - minVersion) / span;
            return LEFT + offset * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            double span = maxValue - minValue;
            return HEIGHT - BOTTOM - (value - minValue) / span * (HEIGHT - BOTTOM - TOP - 10);
        }
    }
}
