package dev.leakyspark.jobs;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.io.OutputStream;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG pictures of a training run, drawn with JFreeChart on the driver. */
final class Charts {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /**
   * The objective after each step, numbered from {@code first} (0 for l-bfgs's start, 1 for adam's
   * first epoch), and the validation loss with its best step marked when there is one;
   * {@code step} names the x axis ("iteration" or "epoch").
   */
  static void lossCurve(TrainReport.Curves curves, int first, String step, String title, OutputStream out)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection(series("training objective", curves.training(), first));
    boolean validation = curves.validation().length > 0;
    if (validation) {
      data.addSeries(series("validation loss", curves.validation(), first));
    }
    NumberAxis x = new NumberAxis(step);
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis y = new NumberAxis(validation ? "loss (training: mean loss + L2; validation: mean loss)"
        : "loss (mean loss + L2)");
    y.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer line = new XYLineAndShapeRenderer(true, curves.training().length <= 50);
    line.setSeriesPaint(0, new Color(0x1f77b4));
    line.setSeriesStroke(0, new BasicStroke(2f));
    line.setSeriesPaint(1, new Color(0xff7f0e));
    line.setSeriesStroke(1, new BasicStroke(2f));
    XYPlot plot = new XYPlot(data, x, y, line);
    if (validation && curves.best() >= 0) {
      ValueMarker best = new ValueMarker(curves.best(), Color.GRAY, new BasicStroke(1f));
      best.setLabel("best " + step + " " + curves.best());
      best.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      best.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
      best.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
      plot.addDomainMarker(best);
    }
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, validation);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.writeChartAsPNG(out, chart, 800, 500);
  }

  private static XYSeries series(String name, double[] values, int first) {
    XYSeries series = new XYSeries(name);
    for (int i = 0; i < values.length; i++) {
      series.add(i + first, values[i]);
    }
    return series;
  }

  /** A heat map of {@code confusion[actual][predicted]}, with each cell's count written in it. */
  static void confusionMatrix(long[][] confusion, String title, OutputStream out) throws IOException {
    int k = confusion.length;
    double[][] cells = new double[3][k * k];
    long max = 1;
    for (int actual = 0; actual < k; actual++) {
      for (int predicted = 0; predicted < k; predicted++) {
        int i = actual * k + predicted;
        cells[0][i] = predicted;
        cells[1][i] = actual;
        cells[2][i] = confusion[actual][predicted];
        max = Math.max(max, confusion[actual][predicted]);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("count", cells);
    NumberAxis x = new NumberAxis("predicted class");
    NumberAxis y = new NumberAxis("actual class");
    for (NumberAxis axis : new NumberAxis[] {x, y}) {
      axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      axis.setRange(-0.5, k - 0.5);
      axis.setLowerMargin(0);
      axis.setUpperMargin(0);
    }
    y.setInverted(true);
    Blues scale = new Blues(max);
    XYBlockRenderer blocks = new XYBlockRenderer();
    blocks.setPaintScale(scale);
    XYPlot plot = new XYPlot(data, x, y, blocks);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, k <= 12 ? 12 : 8);
    for (int i = 0; i < k * k; i++) {
      XYTextAnnotation label = new XYTextAnnotation(Long.toString((long) cells[2][i]), cells[0][i], cells[1][i]);
      label.setFont(font);
      label.setPaint(cells[2][i] > max / 2.0 ? Color.WHITE : Color.BLACK);
      plot.addAnnotation(label);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    NumberAxis legendAxis = new NumberAxis("rows");
    PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
    legend.setPosition(RectangleEdge.RIGHT);
    legend.setMargin(4, 4, 40, 4);
    chart.addSubtitle(legend);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.writeChartAsPNG(out, chart, 720, 640);
  }

  /** White to dark blue over [0, max]. */
  private record Blues(double max) implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return max;
    }

    @Override
    public Paint getPaint(double value) {
      double t = Math.max(0, Math.min(1, value / max));
      return new Color((int) (255 - 247 * t), (int) (255 - 207 * t), (int) (255 - 148 * t));
    }
  }
}
