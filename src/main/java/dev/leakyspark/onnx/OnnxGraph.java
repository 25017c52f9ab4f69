package dev.leakyspark.onnx;

import com.google.protobuf.ByteString;
import dev.leakyspark.onnx.proto.OnnxProto.AttributeProto;
import dev.leakyspark.onnx.proto.OnnxProto.GraphProto;
import dev.leakyspark.onnx.proto.OnnxProto.ModelProto;
import dev.leakyspark.onnx.proto.OnnxProto.NodeProto;
import dev.leakyspark.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.leakyspark.onnx.proto.OnnxProto.TensorProto;
import dev.leakyspark.onnx.proto.OnnxProto.TensorShapeProto;
import dev.leakyspark.onnx.proto.OnnxProto.TypeProto;
import dev.leakyspark.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX graph under construction, over the classes protoc generates from {@code onnx.proto}:
 * inputs, constants, nodes of ONNX's default domain and outputs, every tensor of one element type.
 * Rows are the first dimension, {@code N}; a width below 0 is left symbolic.
 */
final class OnnxGraph {

  private final OnnxExport.ElementType type;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  /** Graph inputs by name, with their widths, which {@link #requireWidth} may still fix. */
  private final Map<String, Long> inputs = new LinkedHashMap<>();
  private final Set<String> names = new HashSet<>();

  OnnxGraph(String name, OnnxExport.ElementType type) {
    this.type = type;
    graph.setName(name);
  }

  OnnxExport.ElementType type() {
    return type;
  }

  /** A name no tensor has yet, from {@code hint}. */
  String fresh(String hint) {
    String name = hint;
    for (int i = 1; names.contains(name); i++) {
      name = hint + "_" + i;
    }
    names.add(name);
    return name;
  }

  /** Declares the graph input {@code name} of {@code [N, width]}. */
  String input(String name, long width) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("ONNX export: the graph already has a tensor named " + name);
    }
    inputs.put(name, width);
    return name;
  }

  boolean isInput(String name) {
    return inputs.containsKey(name);
  }

  /** The declared width of the input {@code name}, below 0 while unknown. */
  long inputWidth(String name) {
    return inputs.get(name);
  }

  /** Fixes the width of the input {@code name}, which a stage found it must have. */
  void setInputWidth(String name, long width) {
    inputs.put(name, width);
  }

  /** A constant of {@code values} in the graph's element type, of shape {@code dims}. */
  String constant(String hint, double[] values, long... dims) {
    String name = fresh(hint);
    ByteBuffer bytes = ByteBuffer.allocate(values.length * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      if (type == OnnxExport.ElementType.FLOAT) {
        bytes.putFloat((float) v);
      } else {
        bytes.putDouble(v);
      }
    }
    bytes.flip();
    graph.addInitializer(tensor(name, type.onnx, dims).setRawData(ByteString.copyFrom(bytes)));
    return name;
  }

  /** An int64 constant, as shapes take. */
  String longConstant(String hint, long... values) {
    String name = fresh(hint);
    TensorProto.Builder t = tensor(name, TensorProto.DataType.INT64, values.length);
    for (long v : values) {
      t.addInt64Data(v);
    }
    graph.addInitializer(t);
    return name;
  }

  private static TensorProto.Builder tensor(String name, TensorProto.DataType dataType, long... dims) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(dataType.getNumber());
    for (long d : dims) {
      t.addDims(d);
    }
    return t;
  }

  /** Adds a node of operator {@code op} writing the tensor {@code output}, which it returns. */
  String node(String op, String output, List<String> nodeInputs, AttributeProto... attributes) {
    NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(fresh(output + "_" + op))
        .addAllInput(nodeInputs).addOutput(output);
    for (AttributeProto a : attributes) {
      node.addAttribute(a);
    }
    graph.addNode(node);
    return output;
  }

  static AttributeProto attribute(String name, float value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
  }

  static AttributeProto attribute(String name, long value) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
  }

  /** Declares {@code tensor} a graph output of shape {@code [N]} ({@code width} 0) or {@code [N, width]}. */
  void output(String tensor, long width) {
    graph.addOutput(valueInfo(tensor, width));
  }

  private ValueInfoProto valueInfo(String name, long width) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
        .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
    if (width != 0) {
      shape.addDim(width > 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(width)
          : TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_size"));
    }
    TypeProto.Tensor.Builder tensorType = TypeProto.Tensor.newBuilder().setElemType(type.onnx.getNumber()).setShape(shape);
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(tensorType)).build();
  }

  /** The serialised model of this graph, at {@link OnnxExport#OPSET} of ONNX's default domain. */
  byte[] toBytes(String docString) {
    List<ValueInfoProto> declared = new ArrayList<>();
    inputs.forEach((name, width) -> declared.add(valueInfo(name, width)));
    GraphProto g = graph.clone().addAllInput(declared).build();
    return ModelProto.newBuilder()
        .setIrVersion(OnnxExport.IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxExport.OPSET))
        .setProducerName("leaky-spark")
        .setProducerVersion(OnnxExport.class.getPackage().getImplementationVersion() == null ? "dev"
            : OnnxExport.class.getPackage().getImplementationVersion())
        .setDocString(docString)
        .setGraph(g)
        .build()
        .toByteArray();
  }
}
