package dev.leakyspark.ml.feature;

import dev.leakyspark.ml.util.InternalWriterFormat;
import dev.leakyspark.ml.util.Persistence;
import dev.leakyspark.LeakyRelu;
import dev.leakyspark.ml.util.Schemas;
import dev.leakyspark.functions.LeakyReluFunctions;
import dev.leakyspark.sql.LeakyReluTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.GeneralMLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Function1;

/**
 * Applies Leaky ReLU to one column ({@code inputCol} to {@code outputCol}) or to many in one pass
 * ({@code inputCols} to {@code outputCols}). Accepts numeric, {@code array<float>},
 * {@code array<double>} and ML vector columns; the output keeps the input type (integral and
 * decimal columns become double), and sparse vectors stay sparse.
 *
 * <pre>{@code
 * LeakyReLU relu = new LeakyReLU().setInputCol("features").setOutputCol("activated").setAlpha(0.1);
 * Dataset<Row> out = relu.transform(df);
 * relu.write().overwrite().save("/tmp/relu");
 * LeakyReLU same = LeakyReLU.load("/tmp/relu");
 * }</pre>
 */
public class LeakyReLU extends Transformer implements MLWritable {

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final StringArrayParam inputCols;
  private final StringArrayParam outputCols;
  private final DoubleParam alpha;

  public LeakyReLU() {
    this(Identifiable$.MODULE$.randomUID("leakyReLU"));
  }

  public LeakyReLU(String uid) {
    this.uid = uid;
    Function1<String, Object> nonEmpty = name -> !name.isEmpty();
    Function1<String[], Object> distinctNonEmpty =
        names ->
            Arrays.stream(names).noneMatch(String::isEmpty)
                && new HashSet<>(Arrays.asList(names)).size() == names.length;
    inputCol = new Param<>(this, "inputCol", "input column name", nonEmpty);
    outputCol = new Param<>(this, "outputCol", "output column name", nonEmpty);
    inputCols =
        new StringArrayParam(
            this, "inputCols", "input column names (distinct), instead of inputCol", distinctNonEmpty);
    outputCols =
        new StringArrayParam(
            this, "outputCols", "output column names (distinct), one per input column",
            distinctNonEmpty);
    alpha =
        new DoubleParam(
            this, "alpha", "slope for negative inputs (finite)",
            ParamValidators.inRange(-Double.MAX_VALUE, Double.MAX_VALUE));
    setDefault(inputCol, "features");
    setDefault(outputCol, uid + "__output");
    setDefault(inputCols, new String[0]);
    setDefault(outputCols, new String[0]);
    setDefault(alpha, LeakyRelu.DEFAULT_ALPHA);
  }

  @Override
  public String uid() {
    return uid;
  }

  /** Input column (default {@code "features"}); ignored when {@code inputCols} is set. */
  public Param<String> inputCol() {
    return inputCol;
  }

  /** Output column (default {@code uid + "__output"}). */
  public Param<String> outputCol() {
    return outputCol;
  }

  /** Input columns for many-column mode (default empty: single-column mode). */
  public StringArrayParam inputCols() {
    return inputCols;
  }

  /** Output columns, one per {@code inputCols} entry. */
  public StringArrayParam outputCols() {
    return outputCols;
  }

  /** Slope for negative inputs (default 0.01, any finite value). */
  public DoubleParam alpha() {
    return alpha;
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public String getOutputCol() {
    return $(outputCol);
  }

  public String[] getInputCols() {
    return $(inputCols);
  }

  public String[] getOutputCols() {
    return $(outputCols);
  }

  public double getAlpha() {
    return (Double) $(alpha);
  }

  public LeakyReLU setInputCol(String value) {
    return (LeakyReLU) set(inputCol, value);
  }

  public LeakyReLU setOutputCol(String value) {
    return (LeakyReLU) set(outputCol, value);
  }

  public LeakyReLU setInputCols(String[] value) {
    return (LeakyReLU) set(inputCols, value);
  }

  public LeakyReLU setOutputCols(String[] value) {
    return (LeakyReLU) set(outputCols, value);
  }

  public LeakyReLU setAlpha(double value) {
    return (LeakyReLU) set(alpha, value);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    StructType out = schema;
    for (Map.Entry<String, String> column : columns().entrySet()) {
      out = Schemas.append(out, outputField(schema, column.getKey(), column.getValue()));
    }
    return out;
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), true);
    List<Column> columns = new ArrayList<>();
    columns.add(functions.col("*"));
    for (Map.Entry<String, String> column : columns().entrySet()) {
      Column in = dataset.col(column.getKey());
      Column out = LeakyReluFunctions.leakyRelu(in, getAlpha());
      columns.add(out.as(column.getValue(), schema.apply(column.getValue()).metadata()));
    }
    return dataset.select(columns.toArray(new Column[0]));
  }

  /** Input to output column names, in order, after checking the single/multi-column params. */
  private Map<String, String> columns() {
    Map<String, String> columns = new LinkedHashMap<>();
    if (!isSet(inputCols)) {
      if (isSet(outputCols)) {
        throw new IllegalArgumentException(
            "LeakyReLU " + uid + ": outputCols is set but inputCols is not");
      }
      columns.put(getInputCol(), getOutputCol());
      return columns;
    }
    if (isSet(inputCol) || isSet(outputCol)) {
      throw new IllegalArgumentException(
          "LeakyReLU " + uid + ": set inputCol/outputCol or inputCols/outputCols, not both");
    }
    String[] in = getInputCols();
    String[] out = getOutputCols();
    if (in.length == 0 || in.length != out.length) {
      throw new IllegalArgumentException(
          "LeakyReLU " + uid + ": inputCols " + Arrays.toString(in) + " and outputCols "
              + Arrays.toString(out) + " must be non-empty and of the same length, but have "
              + in.length + " and " + out.length + " entries");
    }
    for (int i = 0; i < in.length; i++) {
      columns.put(in[i], out[i]);
    }
    return columns;
  }

  private static StructField outputField(StructType schema, String input, String output) {
    StructField field = Schemas.input(schema, input, type -> LeakyReluTypes.resultType(type) != null,
        LeakyReluTypes.SUPPORTED);
    // Same shape, so ML attributes such as a vector's size still hold.
    return new StructField(output, LeakyReluTypes.resultType(field.dataType()), field.nullable(), field.metadata());
  }

  @Override
  public LeakyReLU copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public GeneralMLWriter write() {
    return new GeneralMLWriter(this);
  }

  /** The {@code "internal"} format of {@link #write}: MLlib's params metadata. */
  public static final class InternalWriter extends InternalWriterFormat<LeakyReLU> {
    public InternalWriter() {
      super(LeakyReLU.class, DefaultParamsWriter::new);
    }
  }

  /** The reader {@code PipelineModel.load} finds by reflection. */
  public static MLReader<LeakyReLU> read() {
    return Persistence.paramsReader();
  }

  /** Loads a transformer saved with {@code write().save(path)}. */
  public static LeakyReLU load(String path) {
    return read().load(path);
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }
}
