package org.kaffee.io;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.TransformationParameter;
import org.kaffee.proto.Caffe.V1LayerParameter;
import org.kaffee.proto.Caffe.V1LayerParameter.LayerType;

/**
 * V1 nets ({@code layers { type: CONVOLUTION ... }}) to the current format
 * ({@code layer { type: "Convolution" ... }}), as Caffe's UpgradeV1Net does; also the
 * older step that moves data layers' transformation fields into {@code transform_param}.
 */
final class V1Upgrader {
  /** The per-type parameter messages a V1 layer carries over unchanged (same names in both). */
  private static final List<String> COPIED_PARAMS = List.of(
      "accuracy_param", "argmax_param", "concat_param", "contrastive_loss_param",
      "convolution_param", "data_param", "dropout_param", "dummy_data_param", "eltwise_param",
      "exp_param", "hdf5_data_param", "hdf5_output_param", "hinge_loss_param",
      "image_data_param", "infogain_loss_param", "inner_product_param", "lrn_param",
      "memory_data_param", "mvn_param", "pooling_param", "power_param", "relu_param",
      "sigmoid_param", "softmax_param", "slice_param", "tanh_param", "threshold_param",
      "window_data_param", "transform_param", "loss_param");

  private static final List<FieldDescriptor[]> COPIED_FIELDS = new ArrayList<>();

  static {
    for (String name : COPIED_PARAMS) {
      FieldDescriptor from = V1LayerParameter.getDescriptor().findFieldByName(name);
      FieldDescriptor to = LayerParameter.getDescriptor().findFieldByName(name);
      if (from == null || to == null || from.getMessageType() != to.getMessageType()) {
        throw new IllegalStateException("caffe.proto lacks " + name + " in V1LayerParameter or LayerParameter");
      }
      COPIED_FIELDS.add(new FieldDescriptor[] {from, to});
    }
  }

  private static final Map<LayerType, String> TYPES = Map.ofEntries(
      Map.entry(LayerType.NONE, ""),
      Map.entry(LayerType.ABSVAL, "AbsVal"),
      Map.entry(LayerType.ACCURACY, "Accuracy"),
      Map.entry(LayerType.ARGMAX, "ArgMax"),
      Map.entry(LayerType.BNLL, "BNLL"),
      Map.entry(LayerType.CONCAT, "Concat"),
      Map.entry(LayerType.CONTRASTIVE_LOSS, "ContrastiveLoss"),
      Map.entry(LayerType.CONVOLUTION, "Convolution"),
      Map.entry(LayerType.DECONVOLUTION, "Deconvolution"),
      Map.entry(LayerType.DATA, "Data"),
      Map.entry(LayerType.DROPOUT, "Dropout"),
      Map.entry(LayerType.DUMMY_DATA, "DummyData"),
      Map.entry(LayerType.EUCLIDEAN_LOSS, "EuclideanLoss"),
      Map.entry(LayerType.ELTWISE, "Eltwise"),
      Map.entry(LayerType.EXP, "Exp"),
      Map.entry(LayerType.FLATTEN, "Flatten"),
      Map.entry(LayerType.HDF5_DATA, "HDF5Data"),
      Map.entry(LayerType.HDF5_OUTPUT, "HDF5Output"),
      Map.entry(LayerType.HINGE_LOSS, "HingeLoss"),
      Map.entry(LayerType.IM2COL, "Im2col"),
      Map.entry(LayerType.IMAGE_DATA, "ImageData"),
      Map.entry(LayerType.INFOGAIN_LOSS, "InfogainLoss"),
      Map.entry(LayerType.INNER_PRODUCT, "InnerProduct"),
      Map.entry(LayerType.LRN, "LRN"),
      Map.entry(LayerType.MEMORY_DATA, "MemoryData"),
      Map.entry(LayerType.MULTINOMIAL_LOGISTIC_LOSS, "MultinomialLogisticLoss"),
      Map.entry(LayerType.MVN, "MVN"),
      Map.entry(LayerType.POOLING, "Pooling"),
      Map.entry(LayerType.POWER, "Power"),
      Map.entry(LayerType.RELU, "ReLU"),
      Map.entry(LayerType.SIGMOID, "Sigmoid"),
      Map.entry(LayerType.SIGMOID_CROSS_ENTROPY_LOSS, "SigmoidCrossEntropyLoss"),
      Map.entry(LayerType.SILENCE, "Silence"),
      Map.entry(LayerType.SOFTMAX, "Softmax"),
      Map.entry(LayerType.SOFTMAX_LOSS, "SoftmaxWithLoss"),
      Map.entry(LayerType.SPLIT, "Split"),
      Map.entry(LayerType.SLICE, "Slice"),
      Map.entry(LayerType.TANH, "TanH"),
      Map.entry(LayerType.WINDOW_DATA, "WindowData"),
      Map.entry(LayerType.THRESHOLD, "Threshold"));

  private final String source;

  V1Upgrader(String source) {
    this.source = source;
  }

  static boolean needsUpgrade(NetParameter net) {
    return net.getLayersCount() > 0;
  }

  /** The current-format type name of a V1 enum type ("" for NONE). */
  static String typeName(LayerType type) {
    String name = TYPES.get(type);
    if (name == null) {
      throw new KaffeeException("unknown V1LayerParameter layer type: " + type);
    }
    return name;
  }

  /** The upgraded net and whether every layer upgraded cleanly. */
  record Upgraded(NetParameter net, boolean fullyCompatible) {
  }

  Upgraded upgrade(NetParameter v1) {
    if (v1.getLayerCount() > 0) {
      throw new KaffeeException(source + ": refusing to upgrade inconsistent NetParameter input; "
          + "the definition includes both 'layer' and 'layers' fields. The current format defines "
          + "'layer' fields with string type like layer { type: 'Layer' ... } and not "
          + "layers { type: LAYER ... }. Manually switch the definition to 'layer' format to continue.");
    }
    boolean compatible = true;
    NetParameter.Builder out = v1.toBuilder().clearLayers().clearLayer();
    for (int i = 0; i < v1.getLayersCount(); i++) {
      LayerParameter.Builder layer = out.addLayerBuilder();
      if (!upgradeLayer(v1.getLayers(i), layer)) {
        Glog.error("Upgrade of input layer %d failed.", i);
        compatible = false;
      }
    }
    return new Upgraded(out.build(), compatible);
  }

  boolean upgradeLayer(V1LayerParameter v1, LayerParameter.Builder out) {
    boolean compatible = true;
    out.clear();
    out.addAllBottom(v1.getBottomList());
    out.addAllTop(v1.getTopList());
    if (v1.hasName()) {
      out.setName(v1.getName());
    }
    out.addAllInclude(v1.getIncludeList());
    out.addAllExclude(v1.getExcludeList());
    if (v1.hasType()) {
      try {
        out.setType(typeName(v1.getType()));
      } catch (KaffeeException e) {
        throw new KaffeeException(source + ": layer '" + v1.getName() + "': " + e.getMessage(), e);
      }
    }
    out.addAllBlobs(v1.getBlobsList());
    for (int i = 0; i < v1.getParamCount(); i++) {
      param(out, i).setName(v1.getParam(i));
    }
    for (int i = 0; i < v1.getBlobShareModeCount(); i++) {
      param(out, i).setShareMode(switch (v1.getBlobShareMode(i)) {
        case STRICT -> ParamSpec.DimCheckMode.STRICT;
        case PERMISSIVE -> ParamSpec.DimCheckMode.PERMISSIVE;
      });
    }
    for (int i = 0; i < v1.getBlobsLrCount(); i++) {
      param(out, i).setLrMult(v1.getBlobsLr(i));
    }
    for (int i = 0; i < v1.getWeightDecayCount(); i++) {
      param(out, i).setDecayMult(v1.getWeightDecay(i));
    }
    out.addAllLossWeight(v1.getLossWeightList());
    for (FieldDescriptor[] pair : COPIED_FIELDS) {
      if (v1.hasField(pair[0])) {
        out.setField(pair[1], v1.getField(pair[0]));
      }
    }
    if (v1.hasLayer()) {
      Glog.error("Input NetParameter has V0 layer -- ignoring.");
      compatible = false;
    }
    return compatible;
  }

  private static ParamSpec.Builder param(LayerParameter.Builder layer, int i) {
    while (layer.getParamCount() <= i) {
      layer.addParamBuilder();
    }
    return layer.getParamBuilder(i);
  }

  /** True when a V1 data layer still keeps scale/mean_file/crop_size/mirror in its data params. */
  static boolean needsDataUpgrade(NetParameter net) {
    for (V1LayerParameter layer : net.getLayersList()) {
      boolean keepsTransformFields = switch (layer.getType()) {
        case DATA -> hasTransformFields(layer.getDataParam());
        case IMAGE_DATA -> hasTransformFields(layer.getImageDataParam());
        case WINDOW_DATA -> hasTransformFields(layer.getWindowDataParam());
        default -> false;
      };
      if (keepsTransformFields) {
        return true;
      }
    }
    return false;
  }

  /**
   * Moves the transformation fields of V1 Data/ImageData/WindowData layers into
   * transform_param. As in Caffe, every layer of those types ends up with both messages
   * present (possibly empty).
   */
  static NetParameter upgradeDataTransformation(NetParameter net) {
    NetParameter.Builder out = net.toBuilder();
    for (V1LayerParameter.Builder layer : out.getLayersBuilderList()) {
      // Asking for the builders is what makes both messages present, even when nothing moves.
      switch (layer.getType()) {
        case DATA -> moveTransformFields(layer.getDataParamBuilder(), layer.getTransformParamBuilder());
        case IMAGE_DATA ->
            moveTransformFields(layer.getImageDataParamBuilder(), layer.getTransformParamBuilder());
        case WINDOW_DATA ->
            moveTransformFields(layer.getWindowDataParamBuilder(), layer.getTransformParamBuilder());
        default -> {
        }
      }
    }
    return out.build();
  }

  /**
   * The fields the three V1 data parameter messages share with TransformationParameter, with
   * the same names and types there; the messages have no common Java interface, so they are
   * moved by descriptor.
   */
  private static final List<String> LEGACY_TRANSFORM_FIELDS =
      List.of("scale", "mean_file", "crop_size", "mirror");

  private static boolean hasTransformFields(MessageOrBuilder dataParam) {
    for (String name : LEGACY_TRANSFORM_FIELDS) {
      if (dataParam.hasField(dataParam.getDescriptorForType().findFieldByName(name))) {
        return true;
      }
    }
    return false;
  }

  private static void moveTransformFields(Message.Builder dataParam,
      TransformationParameter.Builder transform) {
    for (String name : LEGACY_TRANSFORM_FIELDS) {
      FieldDescriptor from = dataParam.getDescriptorForType().findFieldByName(name);
      if (dataParam.hasField(from)) {
        transform.setField(TransformationParameter.getDescriptor().findFieldByName(name),
            dataParam.getField(from));
        dataParam.clearField(from);
      }
    }
  }
}
