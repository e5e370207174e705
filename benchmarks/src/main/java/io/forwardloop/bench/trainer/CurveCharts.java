package io.forwardloop.bench.trainer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Draws learning curves: accuracy against signals and against seconds, side by side. */
final class CurveCharts {
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)
    };

    private CurveCharts() {}

    /** Writes a PNG of two charts for one data set and encoder. */
    static void write(Path png, String title, List<LearningCurve> curves) throws IOException {
        JFreeChart bySignals =
                chart(title + ": accuracy vs signals", "signals (log)", curves, p -> p.signals());
        JFreeChart bySeconds =
                chart(
                        title + ": accuracy vs seconds",
                        "training seconds (log)",
                        curves,
                        p -> Math.max(p.seconds(), 1e-3));
        BufferedImage image = new BufferedImage(1400, 500, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        bySignals.draw(g, new java.awt.geom.Rectangle2D.Double(0, 0, 700, 500));
        bySeconds.draw(g, new java.awt.geom.Rectangle2D.Double(700, 0, 700, 500));
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        javax.imageio.ImageIO.write(image, "png", png.toFile());
    }

    private static JFreeChart chart(
            String title,
            String xLabel,
            List<LearningCurve> curves,
            ToDoubleFunction<LearningCurve.Point> x) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (LearningCurve curve : curves) {
            XYSeries series = new XYSeries(curve.method(), false, true);
            for (LearningCurve.Point point : curve.points()) {
                double value = x.applyAsDouble(point);
                if (value > 0) {
                    series.add(value, point.accuracy());
                }
            }
            data.addSeries(series);
        }
        LogAxis xAxis = new LogAxis(xLabel);
        xAxis.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.###"));
        // a labelled tick at each power of ten, unlabelled ones between
        xAxis.setTickUnit(new NumberTickUnit(1.0), false, true);
        xAxis.setMinorTickCount(9);
        xAxis.setMinorTickMarksVisible(true);
        NumberAxis yAxis = new NumberAxis("test accuracy");
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesPaint(i, COLOURS[i % COLOURS.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }
}
