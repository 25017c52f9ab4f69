package dev.leakyspark.testing;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.reflect.Array;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Scores an ONNX model with onnxruntime's Java API, outside Spark. */
public final class OnnxScoring {

  private OnnxScoring() {}

  /**
   * Runs the graph on {@code inputs} (double[] or double[][] by input name, as float32 when
   * {@code asFloat}); each output as rows, a [N] output as one row.
   */
  public static Map<String, double[][]> score(byte[] model, boolean asFloat, Map<String, Object> inputs)
      throws OrtException {
    OrtEnvironment ort = OrtEnvironment.getEnvironment();
    Map<String, double[][]> out = new HashMap<>();
    try (OrtSession session = ort.createSession(model, new OrtSession.SessionOptions())) {
      Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
      try {
        for (Map.Entry<String, Object> e : inputs.entrySet()) {
          tensors.put(e.getKey(), OnnxTensor.createTensor(ort, asFloat ? toFloat(e.getValue()) : e.getValue()));
        }
        try (OrtSession.Result result = session.run(tensors)) {
          for (Map.Entry<String, OnnxValue> e : result) {
            Object value = e.getValue().getValue();
            out.put(e.getKey(), value.getClass().getComponentType().isArray() ? toDouble2(value) : new double[][] {toDouble1(value)});
          }
        }
      } finally {
        tensors.values().forEach(OnnxTensor::close);
      }
    }
    return out;
  }

  private static Object toFloat(Object doubles) {
    if (doubles instanceof double[]) {
      double[] d = (double[]) doubles;
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    double[][] d = (double[][]) doubles;
    float[][] f = new float[d.length][];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float[]) toFloat(d[i]);
    }
    return f;
  }

  private static double[] toDouble1(Object array) {
    double[] d = new double[Array.getLength(array)];
    for (int i = 0; i < d.length; i++) {
      d[i] = ((Number) Array.get(array, i)).doubleValue();
    }
    return d;
  }

  private static double[][] toDouble2(Object array) {
    double[][] d = new double[Array.getLength(array)][];
    for (int i = 0; i < d.length; i++) {
      d[i] = toDouble1(Array.get(array, i));
    }
    return d;
  }

}
