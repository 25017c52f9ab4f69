package dev.leakyspark.onnx;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import dev.leakyspark.onnx.proto.OnnxProto.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * ONNX export of leaky-spark's stages and of pipelines built from them, for scoring outside Spark
 * (onnxruntime in a JVM or Python service, or on a device). The graph, at opset {@value #OPSET},
 * uses ONNX's {@code Gemm}, {@code LeakyRelu} and {@code Softmax}; its tensors are float32 unless
 * the option {@code dtype} is {@code double}. Each row is a row of the tensors: a vector column of
 * size {@code d} is {@code [N, d]}, a numeric column {@code [N, 1]}, and {@code prediction} is
 * {@code [N]}. The inputs are named after the columns the stages read and the outputs after the
 * columns they add that no later stage reads.
 *
 * <p>Single stages export through MLlib's writer formats; whole pipelines through {@link #writer}.
 * Either writes one file, {@code path/model.onnx}:
 *
 * <pre>{@code
 * model.write().format("onnx").save("/models/mlp-onnx");                      // a LeakyMLP*Model or LeakyReLU
 * model.write().format("onnx").option("dtype", "double").save("/models/mlp-onnx64");
 * OnnxExport.writer(pipelineModel, train.schema()).overwrite().save("/models/pipeline-onnx");
 * }</pre>
 *
 * Supported stages: {@code VectorAssembler}, {@code StandardScalerModel}, {@code LeakyReLU},
 * {@code LeakyMLPClassificationModel}, {@code LeakyMLPRegressionModel} and nested
 * {@code PipelineModel}s of them.
 */
public final class OnnxExport {

  /** The opset of ONNX's default domain that the graphs use. */
  public static final int OPSET = 17;
  /** The IR version of opset {@value #OPSET}. */
  static final long IR_VERSION = 8;
  /** The file a save writes under its path. */
  public static final String FILE_NAME = "model.onnx";

  /** The element type of every tensor of a graph; the option {@code dtype} names it. */
  public enum ElementType {
    FLOAT(TensorProto.DataType.FLOAT, 4),
    DOUBLE(TensorProto.DataType.DOUBLE, 8);

    final TensorProto.DataType onnx;
    final int bytes;

    ElementType(TensorProto.DataType onnx, int bytes) {
      this.onnx = onnx;
      this.bytes = bytes;
    }

    /** The type the option {@code dtype} names: {@code float} (the default, also {@code float32}) or {@code double} ({@code float64}). */
    public static ElementType of(String dtype) {
      switch (dtype == null ? "float" : dtype.toLowerCase(Locale.ROOT)) {
        case "float":
        case "float32":
          return FLOAT;
        case "double":
        case "float64":
          return DOUBLE;
        default:
          throw new IllegalArgumentException("ONNX export: dtype must be float or double but got " + dtype);
      }
    }
  }

  private OnnxExport() {}

  /**
   * The ONNX model of {@code stage}, a supported stage or a {@link PipelineModel} of them, as the
   * bytes of a {@code .onnx} file.
   *
   * @param inputSchema the schema of the data the stage transforms, which tells numeric from
   *     vector columns and may carry vector sizes; may be null unless a {@code VectorAssembler} reads
   *     raw columns
   */
  public static byte[] toBytes(Transformer stage, StructType inputSchema, ElementType type) {
    Export export = new Export(new OnnxGraph(stage.uid(), type), inputSchema);
    export.add(stage);
    return export.finish(stage);
  }

  /**
   * A writer of {@code model} as one ONNX graph from its raw input columns, with MLlib's
   * {@code overwrite()} and the option {@code dtype}.
   *
   * @param inputSchema the schema of the data the pipeline transforms, such as {@code train.schema()}
   */
  public static MLWriter writer(PipelineModel model, StructType inputSchema) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        OnnxExport.save(toBytes(model, inputSchema, type(optionMap())), path, sparkSession());
      }
    };
  }

  /** Writes {@code onnx} to {@code path/}{@value #FILE_NAME} on the path's file system. */
  static void save(byte[] onnx, String path, SparkSession spark) {
    Path file = new Path(path, FILE_NAME);
    try {
      FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (OutputStream out = fs.create(file, false)) {
        out.write(onnx);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the ONNX model to " + file + ": " + e.getMessage(), e);
    }
  }

  /** A graph being built from stages, with the tensor of every column so far. */
  private static final class Export {
    private final OnnxGraph graph;
    private final StructType schema;
    /** Column name to the tensor holding it, in the order columns appear. */
    private final Map<String, Tensor> columns = new LinkedHashMap<>();
    /** Columns that a stage added and no later stage has read yet: the graph's outputs. */
    private final Map<String, Tensor> unread = new LinkedHashMap<>();
    private int stageIndex;

    Export(OnnxGraph graph, StructType schema) {
      this.graph = graph;
      this.schema = schema;
    }

    void add(Transformer stage) {
      if (stage instanceof PipelineModel) {
        for (Transformer s : ((PipelineModel) stage).stages()) {
          add(s);
        }
        return;
      }
      if (stage instanceof LeakyReLU) {
        leakyRelu((LeakyReLU) stage);
      } else if (stage instanceof LeakyMLPClassificationModel) {
        classifier((LeakyMLPClassificationModel) stage);
      } else if (stage instanceof LeakyMLPRegressionModel) {
        regressor((LeakyMLPRegressionModel) stage);
      } else if (stage instanceof VectorAssembler) {
        assembler((VectorAssembler) stage);
      } else if (stage instanceof StandardScalerModel) {
        scaler((StandardScalerModel) stage);
      } else {
        throw new IllegalArgumentException("ONNX export supports VectorAssembler, StandardScalerModel, LeakyReLU,"
            + " LeakyMLPClassificationModel and LeakyMLPRegressionModel, but stage " + stageIndex + " ("
            + stage.uid() + ") is a " + stage.getClass().getName());
      }
      stageIndex++;
    }

    byte[] finish(Transformer stage) {
      if (unread.isEmpty()) {
        throw new IllegalArgumentException("ONNX export: " + stage.uid() + " adds no column, so the graph would have no output");
      }
      unread.forEach((name, t) -> graph.output(t.name, t.width()));
      return graph.toBytes(stage.getClass().getName() + " " + stage.uid());
    }

    /** The tensor of column {@code name}, a graph input if no earlier stage made it. */
    private Tensor read(String name, String stage, long defaultWidth) {
      unread.remove(name);
      Tensor t = columns.get(name);
      if (t == null) {
        t = new Tensor(graph.input(name, width(name, stage, defaultWidth)), -1, null, null);
        columns.put(name, t);
      }
      return t;
    }

    /** The width of the raw column {@code name}: 1 if numeric, a vector's size if known, else {@code defaultWidth}. */
    private long width(String name, String stage, long defaultWidth) {
      if (schema == null) {
        return defaultWidth;
      }
      StructField field = Arrays.stream(schema.fields()).filter(f -> f.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("ONNX export: " + stage + " reads column " + name
              + ", which the input schema lacks; it has " + Arrays.toString(schema.fieldNames())));
      if (field.dataType() instanceof NumericType) {
        return 0;
      }
      if (field.dataType() instanceof VectorUDT) {
        int size = AttributeGroup.fromStructField(field).size();
        return size >= 0 ? size : defaultWidth;
      }
      if (field.dataType() instanceof ArrayType array
          && (array.elementType() instanceof FloatType || array.elementType() instanceof DoubleType)) {
        return defaultWidth; // arrays of one length, as rows of a tensor
      }
      throw new IllegalArgumentException("ONNX export: column " + name + " read by " + stage + " must be numeric,"
          + " array<float|double> or a vector but is " + field.dataType().catalogString());
    }

    private void write(String column, Tensor t) {
      columns.put(column, t);
      unread.put(column, t);
    }

    private void leakyRelu(LeakyReLU relu) {
      String[] in = relu.isSet(relu.inputCols()) ? relu.getInputCols() : new String[] {relu.getInputCol()};
      String[] out = relu.isSet(relu.outputCols()) ? relu.getOutputCols() : new String[] {relu.getOutputCol()};
      for (int i = 0; i < in.length; i++) {
        Tensor x = read(in[i], relu.uid(), -1);
        write(out[i], new Tensor(activation(x.name, relu.getAlpha(), graph.fresh(out[i])), -1, x, null));
      }
    }

    /**
     * Leaky ReLU of {@code x}: ONNX's {@code LeakyRelu}, whose {@code alpha} is a float32 attribute. A
     * double graph whose alpha is no float32 uses {@code PRelu} with a double slope instead, so it
     * stays exact (0.01 as a float32 is 0.0099999998).
     */
    private String activation(String x, double alpha, String out) {
      if (graph.type() == ElementType.FLOAT || (double) (float) alpha == alpha) {
        return graph.node("LeakyRelu", out, List.of(x), OnnxGraph.attribute("alpha", (float) alpha));
      }
      return graph.node("PRelu", out, List.of(x, graph.constant(out + "_slope", new double[] {alpha}, 1)));
    }

    /** The network's layers on {@code x}: Gemm, then Leaky ReLU between layers; the last layer's outputs, named {@code out}. */
    private String network(String prefix, String x, int[] layers, double alpha, double[] weights, String out) {
      int offset = 0;
      String h = x;
      for (int l = 0; l + 1 < layers.length; l++) {
        int in = layers[l];
        int width = layers[l + 1];
        // a width x in column-major matrix is the in x width row-major one that Gemm multiplies by
        String w = graph.constant(prefix + "_W" + l, Arrays.copyOfRange(weights, offset, offset + in * width), in, width);
        offset += in * width;
        String b = graph.constant(prefix + "_b" + l, Arrays.copyOfRange(weights, offset, offset + width), width);
        offset += width;
        boolean last = l + 2 == layers.length;
        String z = graph.node("Gemm", last ? out : graph.fresh(prefix + "_z" + l), List.of(h, w, b));
        h = last ? z : activation(z, alpha, graph.fresh(prefix + "_h" + (l + 1)));
      }
      return h;
    }

    private void classifier(LeakyMLPClassificationModel model) {
      int[] layers = model.getLayers();
      int classes = model.numClasses();
      Tensor x = features(model.getFeaturesCol(), model.uid(), model.numFeatures());
      double[] weights = centredOutput(layers, model.weights().toArray());
      String raw = network(model.uid(), x.name, layers, model.getAlpha(), weights,
          graph.fresh(model.getRawPredictionCol().isEmpty() ? model.uid() + "_raw" : model.getRawPredictionCol()));
      if (!model.getRawPredictionCol().isEmpty()) {
        write(model.getRawPredictionCol(), new Tensor(raw, classes, null, null));
      }
      String probability = null;
      boolean thresholds = model.isDefined(model.thresholds());
      if (!model.getProbabilityCol().isEmpty() || (thresholds && !model.getPredictionCol().isEmpty())) {
        probability = graph.node("Softmax", graph.fresh(model.getProbabilityCol().isEmpty() ? model.uid() + "_p"
            : model.getProbabilityCol()), List.of(raw), OnnxGraph.attribute("axis", 1L));
      }
      if (!model.getProbabilityCol().isEmpty()) {
        write(model.getProbabilityCol(), new Tensor(probability, classes, null, null));
      }
      if (!model.getPredictionCol().isEmpty()) {
        // as transform: the largest logit, or the largest probability / threshold (a zero threshold wins)
        String scores = raw;
        if (thresholds) {
          double[] t = model.getThresholds();
          if (t.length != classes) {
            throw new IllegalArgumentException("ONNX export: " + model.uid() + " has " + t.length
                + " thresholds but " + classes + " classes");
          }
          scores = graph.node("Div", graph.fresh(model.uid() + "_scaled"),
              List.of(probability, graph.constant(model.uid() + "_thresholds", t, classes)));
        }
        write(model.getPredictionCol(), new Tensor(prediction(model.getPredictionCol(), scores), 0, null, null));
      }
    }

    private String prediction(String column, String scores) {
      String index = graph.node("ArgMax", graph.fresh(column + "_index"), List.of(scores),
          OnnxGraph.attribute("axis", 1L), OnnxGraph.attribute("keepdims", 0L));
      return graph.node("Cast", graph.fresh(column), List.of(index), OnnxGraph.attribute("to", (long) graph.type().onnx.getNumber()));
    }

    private void regressor(LeakyMLPRegressionModel model) {
      Tensor x = features(model.getFeaturesCol(), model.uid(), model.numFeatures());
      String z = network(model.uid(), x.name, model.getLayers(), model.getAlpha(), model.weights().toArray(),
          graph.fresh(model.uid() + "_z"));
      if (model.getPredictionCol().isEmpty()) {
        return;
      }
      String prediction = graph.node("Reshape", graph.fresh(model.getPredictionCol()),
          List.of(z, graph.longConstant(model.uid() + "_rows", -1)));
      write(model.getPredictionCol(), new Tensor(prediction, 0, null, null));
    }

    /** The features column of a model taking {@code size} features, which fixes the width of its source. */
    private Tensor features(String column, String stage, int size) {
      Tensor x = read(column, stage, size);
      x.require(size, stage, column);
      return x;
    }

    private void assembler(VectorAssembler assembler) {
      if (schema == null) {
        throw new IllegalArgumentException("ONNX export: VectorAssembler " + assembler.uid() + " needs the input"
            + " schema, to tell numeric from vector columns: OnnxExport.writer(model, df.schema())");
      }
      List<String> tensors = new ArrayList<>();
      List<Tensor> parts = new ArrayList<>();
      for (String column : assembler.getInputCols()) {
        Tensor t = read(column, assembler.uid(), -1);
        String name = t.name;
        if (t.width() == 0) { // a numeric column: [N] to [N, 1]
          name = graph.node("Unsqueeze", graph.fresh(column + "_column"), List.of(name,
              graph.longConstant(column + "_axis", 1)));
        }
        tensors.add(name);
        parts.add(t);
      }
      String out = graph.node("Concat", graph.fresh(assembler.getOutputCol()), tensors, OnnxGraph.attribute("axis", 1L));
      write(assembler.getOutputCol(), new Tensor(out, -1, null, parts));
    }

    private void scaler(StandardScalerModel scaler) {
      Tensor x = read(scaler.getInputCol(), scaler.uid(), scaler.std().size());
      int size = scaler.std().size();
      x.require(size, scaler.uid(), scaler.getInputCol());
      String y = x.name;
      String out = scaler.getOutputCol();
      if (scaler.getWithMean()) {
        y = graph.node("Sub", graph.fresh(out + "_centred"), List.of(y,
            graph.constant(out + "_mean", scaler.mean().toArray(), size)));
      }
      if (scaler.getWithStd()) {
        // as Spark: times 1 / std, and 0 where std is 0
        double[] scale = Arrays.stream(scaler.std().toArray()).map(s -> s == 0 ? 0 : 1 / s).toArray();
        y = graph.node("Mul", graph.fresh(out), List.of(y, graph.constant(out + "_scale", scale, size)));
      } else if (!scaler.getWithMean()) {
        y = graph.node("Identity", graph.fresh(out), List.of(y));
      }
      write(out, new Tensor(y, size, null, null));
    }

    /** The layers' weights with the last layer's outputs centred on their mean, as the model's rawPrediction is. */
    private static double[] centredOutput(int[] layers, double[] weights) {
      int in = layers[layers.length - 2];
      int out = layers[layers.length - 1];
      int offset = weights.length - in * out - out;
      // each of the in + 1 rows (the weights of one input, then the biases) less its mean
      for (int row = 0; row <= in; row++) {
        int start = offset + row * out;
        double mean = Arrays.stream(weights, start, start + out).sum() / out;
        for (int k = start; k < start + out; k++) {
          weights[k] -= mean;
        }
      }
      return weights;
    }

    /**
     * A tensor of a column, [N] for width 0 and [N, width] otherwise: a graph input, the output of an
     * elementwise stage (of the same width as {@code source}), of a concatenation of {@code parts},
     * or of known width.
     */
    private final class Tensor {
      final String name;
      private final long width;
      private final Tensor source;
      private final List<Tensor> parts;

      Tensor(String name, long width, Tensor source, List<Tensor> parts) {
        this.name = name;
        this.width = width;
        this.source = source;
        this.parts = parts;
      }

      /** Its width: 0 for [N], below 0 while unknown. */
      long width() {
        if (graph.isInput(name)) {
          return graph.inputWidth(name);
        }
        if (source != null) {
          return source.width();
        }
        if (parts != null) {
          long sum = 0;
          for (Tensor p : parts) {
            long w = p.width();
            if (w < 0) {
              return -1;
            }
            sum += Math.max(w, 1);
          }
          return sum;
        }
        return width;
      }

      /** Checks that this tensor is [N, width], fixing the one unknown input width that makes it so. */
      void require(long needed, String stage, String column) {
        long known = width();
        if (known >= 0) {
          if (known != needed) {
            throw new IllegalArgumentException("ONNX export: " + stage + " takes " + needed + " values in column "
                + column + " but it holds " + (known == 0 ? "a number" : known + " values"));
          }
        } else if (graph.isInput(name)) {
          graph.setInputWidth(name, needed);
        } else if (source != null) {
          source.require(needed, stage, column);
        } else if (parts != null) {
          List<Tensor> unknown = parts.stream().filter(p -> p.width() < 0).toList();
          long rest = needed - parts.stream().filter(p -> p.width() >= 0).mapToLong(p -> Math.max(p.width(), 1)).sum();
          if (unknown.size() == 1 && rest > 0) {
            unknown.get(0).require(rest, stage, column);
          }
        }
      }
    }
  }

  /** The ONNX option of a writer format: {@code dtype}. */
  static ElementType type(scala.collection.mutable.Map<String, String> options) {
    Option<String> dtype = options.get("dtype");
    return ElementType.of(dtype.isDefined() ? dtype.get() : null);
  }
}
