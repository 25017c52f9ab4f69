package dev.leakyspark.ml.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.util.MLFormatRegister;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * MLlib's writer format {@code "internal"} of one stage class: what {@code write().save(path)}
 * runs once {@code write()} is a {@code GeneralMLWriter}, which looks formats up by name (so
 * {@code write().format("onnx")} works too). It saves with the stage's own writer.
 */
public abstract class InternalWriterFormat<S extends PipelineStage> implements MLFormatRegister {

  private final Class<S> stage;
  private final Function<S, MLWriter> writer;

  protected InternalWriterFormat(Class<S> stage, Function<S, MLWriter> writer) {
    this.stage = stage;
    this.writer = writer;
  }

  @Override
  public String format() {
    return "internal";
  }

  @Override
  public String stageName() {
    return stage.getName();
  }

  @Override
  public void write(String path, SparkSession session, scala.collection.mutable.Map<String, String> options,
      PipelineStage instance) {
    // GeneralMLWriter.save has checked the path and removed it if overwriting
    try {
      writer.apply(stage.cast(instance)).session(session).save(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
