package dev.leakyspark.onnx;

import dev.leakyspark.ml.classification.LeakyMLPClassificationModel;
import dev.leakyspark.ml.feature.LeakyReLU;
import dev.leakyspark.ml.regression.LeakyMLPRegressionModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.util.MLFormatRegister;
import org.apache.spark.sql.SparkSession;

/**
 * MLlib's writer format {@code "onnx"} of one stage class: {@code GeneralMLWriter} finds it
 * through {@code META-INF/services/org.apache.spark.ml.util.MLFormatRegister}, so
 * {@code stage.write().format("onnx")} saves {@code path/model.onnx} ({@link OnnxExport}).
 *
 * <pre>{@code
 * model.write().format("onnx").option("dtype", "double").overwrite().save("/models/mlp-onnx");
 * }</pre>
 */
public abstract class OnnxWriterFormat implements MLFormatRegister {

  private final Class<? extends Transformer> stage;

  OnnxWriterFormat(Class<? extends Transformer> stage) {
    this.stage = stage;
  }

  @Override
  public String format() {
    return "onnx";
  }

  @Override
  public String stageName() {
    return stage.getName();
  }

  @Override
  public void write(String path, SparkSession session, scala.collection.mutable.Map<String, String> options,
      PipelineStage stage) {
    OnnxExport.save(OnnxExport.toBytes((Transformer) stage, null, OnnxExport.type(options)), path, session);
  }

  /** {@code "onnx"} for {@link LeakyMLPClassificationModel}. */
  public static final class ClassificationModel extends OnnxWriterFormat {
    public ClassificationModel() {
      super(LeakyMLPClassificationModel.class);
    }
  }

  /** {@code "onnx"} for {@link LeakyMLPRegressionModel}. */
  public static final class RegressionModel extends OnnxWriterFormat {
    public RegressionModel() {
      super(LeakyMLPRegressionModel.class);
    }
  }

  /** {@code "onnx"} for {@link LeakyReLU}. */
  public static final class Activation extends OnnxWriterFormat {
    public Activation() {
      super(LeakyReLU.class);
    }
  }
}
