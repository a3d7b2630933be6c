package org.kaffee.io;

import java.util.HashMap;
import java.util.Map;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.PoolingParameter;
import org.kaffee.proto.Caffe.V0LayerParameter;
import org.kaffee.proto.Caffe.V1LayerParameter;
import org.kaffee.proto.Caffe.V1LayerParameter.LayerType;

/**
 * V0 nets (each {@code layers} entry wrapping a {@code layer { type: "conv" ... }}) to V1
 * nets (enum layer types, per-type parameter messages), as Caffe's UpgradeV0Net does:
 * padding layers are folded into the conv/pool layer they feed, flat V0 fields move into
 * the matching {@code *_param}. A field that has no home for the layer's type is logged
 * and dropped, and the upgrade is reported as not fully compatible.
 */
final class V0Upgrader {
  private final String source;
  private boolean compatible = true;

  V0Upgrader(String source) {
    this.source = source;
  }

  static boolean needsUpgrade(NetParameter net) {
    for (V1LayerParameter layer : net.getLayersList()) {
      if (layer.hasLayer()) {
        return true;
      }
    }
    return false;
  }

  /** False when some V0 field was dropped (see the ERROR lines logged). */
  boolean fullyCompatible() {
    return compatible;
  }

  NetParameter upgrade(NetParameter v0WithPadding) {
    NetParameter v0 = foldPaddingLayers(v0WithPadding);
    NetParameter.Builder out = NetParameter.newBuilder();
    if (v0.hasName()) {
      out.setName(v0.getName());
    }
    for (V1LayerParameter layer : v0.getLayersList()) {
      out.addLayers(upgradeLayer(layer));
    }
    out.addAllInput(v0.getInputList());
    out.addAllInputDim(v0.getInputDimList());
    if (v0.hasForceBackward()) {
      out.setForceBackward(v0.getForceBackward());
    }
    return out.build();
  }

  /** Removes "padding" layers, moving their pad into the conv/pool layer they feed. */
  NetParameter foldPaddingLayers(NetParameter param) {
    NetParameter.Builder out = param.toBuilder().clearLayers();
    Map<String, Integer> lastTop = new HashMap<>();
    for (String input : param.getInputList()) {
      lastTop.put(input, -1);
    }
    for (int i = 0; i < param.getLayersCount(); i++) {
      V1LayerParameter connection = param.getLayers(i);
      V0LayerParameter layer = connection.getLayer();
      if (!"padding".equals(layer.getType())) {
        out.addLayers(connection);
      }
      for (int j = 0; j < connection.getBottomCount(); j++) {
        String blob = connection.getBottom(j);
        Integer topIndex = lastTop.get(blob);
        if (topIndex == null) {
          throw new KaffeeException(source + ": V0 layer '" + layer.getName() + "' (layer " + i
              + "): unknown bottom blob '" + blob + "' (bottom index " + j + ")");
        }
        if (topIndex == -1) {
          continue;
        }
        V1LayerParameter padding = param.getLayers(topIndex);
        if (!"padding".equals(padding.getLayer().getType())) {
          continue;
        }
        String where = source + ": V0 layer '" + layer.getName() + "': ";
        if (!"conv".equals(layer.getType()) && !"pool".equals(layer.getType())) {
          throw new KaffeeException(where + "padding layer input to non-convolutional / "
              + "non-pooling layer type " + layer.getType());
        }
        if (connection.getBottomCount() != 1) {
          throw new KaffeeException(where + "a layer fed by a padding layer takes a single "
              + "blob as input, got " + connection.getBottomCount());
        }
        if (padding.getBottomCount() != 1 || padding.getTopCount() != 1) {
          throw new KaffeeException(source + ": V0 padding layer '" + padding.getLayer().getName()
              + "' must have exactly one bottom and one top");
        }
        V1LayerParameter.Builder last = out.getLayersBuilder(out.getLayersCount() - 1);
        last.getLayerBuilder().setPad(padding.getLayer().getPad());
        last.setBottom(j, padding.getBottom(0));
      }
      for (String top : connection.getTopList()) {
        lastTop.put(top, i);
      }
    }
    return out.build();
  }

  private void unknown(String field, String type) {
    Glog.error("Unknown parameter %s for layer type %s", field, type);
    compatible = false;
  }

  V1LayerParameter upgradeLayer(V1LayerParameter connection) {
    V1LayerParameter.Builder out = V1LayerParameter.newBuilder();
    out.addAllBottom(connection.getBottomList());
    out.addAllTop(connection.getTopList());
    if (!connection.hasLayer()) {
      return out.build();
    }
    V0LayerParameter v0 = connection.getLayer();
    String type = v0.getType();
    boolean conv = type.equals("conv");
    boolean ip = type.equals("innerproduct");
    boolean pool = type.equals("pool");
    boolean lrn = type.equals("lrn");
    boolean data = type.equals("data");
    boolean hdf5 = type.equals("hdf5_data");
    boolean images = type.equals("images");
    boolean window = type.equals("window_data");
    if (v0.hasName()) {
      out.setName(v0.getName());
    }
    if (v0.hasType()) {
      out.setType(layerType(type, v0.getName()));
    }
    out.addAllBlobs(v0.getBlobsList());
    out.addAllBlobsLr(v0.getBlobsLrList());
    out.addAllWeightDecay(v0.getWeightDecayList());
    if (v0.hasNumOutput()) {
      if (conv) {
        out.getConvolutionParamBuilder().setNumOutput(v0.getNumOutput());
      } else if (ip) {
        out.getInnerProductParamBuilder().setNumOutput(v0.getNumOutput());
      } else {
        unknown("num_output", type);
      }
    }
    if (v0.hasBiasterm()) {
      if (conv) {
        out.getConvolutionParamBuilder().setBiasTerm(v0.getBiasterm());
      } else if (ip) {
        out.getInnerProductParamBuilder().setBiasTerm(v0.getBiasterm());
      } else {
        unknown("biasterm", type);
      }
    }
    if (v0.hasWeightFiller()) {
      if (conv) {
        out.getConvolutionParamBuilder().setWeightFiller(v0.getWeightFiller());
      } else if (ip) {
        out.getInnerProductParamBuilder().setWeightFiller(v0.getWeightFiller());
      } else {
        unknown("weight_filler", type);
      }
    }
    if (v0.hasBiasFiller()) {
      if (conv) {
        out.getConvolutionParamBuilder().setBiasFiller(v0.getBiasFiller());
      } else if (ip) {
        out.getInnerProductParamBuilder().setBiasFiller(v0.getBiasFiller());
      } else {
        unknown("bias_filler", type);
      }
    }
    if (v0.hasPad()) {
      if (conv) {
        out.getConvolutionParamBuilder().addPad(v0.getPad());
      } else if (pool) {
        out.getPoolingParamBuilder().setPad(v0.getPad());
      } else {
        unknown("pad", type);
      }
    }
    if (v0.hasKernelsize()) {
      if (conv) {
        out.getConvolutionParamBuilder().addKernelSize(v0.getKernelsize());
      } else if (pool) {
        out.getPoolingParamBuilder().setKernelSize(v0.getKernelsize());
      } else {
        unknown("kernelsize", type);
      }
    }
    if (v0.hasGroup()) {
      if (conv) {
        out.getConvolutionParamBuilder().setGroup(v0.getGroup());
      } else {
        unknown("group", type);
      }
    }
    if (v0.hasStride()) {
      if (conv) {
        out.getConvolutionParamBuilder().addStride(v0.getStride());
      } else if (pool) {
        out.getPoolingParamBuilder().setStride(v0.getStride());
      } else {
        unknown("stride", type);
      }
    }
    if (v0.hasPool()) {
      if (pool) {
        out.getPoolingParamBuilder().setPool(switch (v0.getPool()) {
          case MAX -> PoolingParameter.PoolMethod.MAX;
          case AVE -> PoolingParameter.PoolMethod.AVE;
          case STOCHASTIC -> PoolingParameter.PoolMethod.STOCHASTIC;
        });
      } else {
        unknown("pool", type);
      }
    }
    if (v0.hasDropoutRatio()) {
      if (type.equals("dropout")) {
        out.getDropoutParamBuilder().setDropoutRatio(v0.getDropoutRatio());
      } else {
        unknown("dropout_ratio", type);
      }
    }
    if (v0.hasLocalSize()) {
      if (lrn) {
        out.getLrnParamBuilder().setLocalSize(v0.getLocalSize());
      } else {
        unknown("local_size", type);
      }
    }
    if (v0.hasAlpha()) {
      if (lrn) {
        out.getLrnParamBuilder().setAlpha(v0.getAlpha());
      } else {
        unknown("alpha", type);
      }
    }
    if (v0.hasBeta()) {
      if (lrn) {
        out.getLrnParamBuilder().setBeta(v0.getBeta());
      } else {
        unknown("beta", type);
      }
    }
    if (v0.hasK()) {
      if (lrn) {
        out.getLrnParamBuilder().setK(v0.getK());
      } else {
        unknown("k", type);
      }
    }
    if (v0.hasSource()) {
      if (data) {
        out.getDataParamBuilder().setSource(v0.getSource());
      } else if (hdf5) {
        out.getHdf5DataParamBuilder().setSource(v0.getSource());
      } else if (images) {
        out.getImageDataParamBuilder().setSource(v0.getSource());
      } else if (window) {
        out.getWindowDataParamBuilder().setSource(v0.getSource());
      } else if (type.equals("infogain_loss")) {
        out.getInfogainLossParamBuilder().setSource(v0.getSource());
      } else {
        unknown("source", type);
      }
    }
    if (v0.hasScale()) {
      out.getTransformParamBuilder().setScale(v0.getScale());
    }
    if (v0.hasMeanfile()) {
      out.getTransformParamBuilder().setMeanFile(v0.getMeanfile());
    }
    if (v0.hasBatchsize()) {
      if (data) {
        out.getDataParamBuilder().setBatchSize(v0.getBatchsize());
      } else if (hdf5) {
        out.getHdf5DataParamBuilder().setBatchSize(v0.getBatchsize());
      } else if (images) {
        out.getImageDataParamBuilder().setBatchSize(v0.getBatchsize());
      } else if (window) {
        out.getWindowDataParamBuilder().setBatchSize(v0.getBatchsize());
      } else {
        unknown("batchsize", type);
      }
    }
    if (v0.hasCropsize()) {
      out.getTransformParamBuilder().setCropSize(v0.getCropsize());
    }
    if (v0.hasMirror()) {
      out.getTransformParamBuilder().setMirror(v0.getMirror());
    }
    if (v0.hasRandSkip()) {
      if (data) {
        out.getDataParamBuilder().setRandSkip(v0.getRandSkip());
      } else if (images) {
        out.getImageDataParamBuilder().setRandSkip(v0.getRandSkip());
      } else {
        unknown("rand_skip", type);
      }
    }
    if (v0.hasShuffleImages()) {
      if (images) {
        out.getImageDataParamBuilder().setShuffle(v0.getShuffleImages());
      } else {
        unknown("shuffle", type);
      }
    }
    if (v0.hasNewHeight()) {
      if (images) {
        out.getImageDataParamBuilder().setNewHeight(v0.getNewHeight());
      } else {
        unknown("new_height", type);
      }
    }
    if (v0.hasNewWidth()) {
      if (images) {
        out.getImageDataParamBuilder().setNewWidth(v0.getNewWidth());
      } else {
        unknown("new_width", type);
      }
    }
    if (v0.hasConcatDim()) {
      if (type.equals("concat")) {
        out.getConcatParamBuilder().setConcatDim(v0.getConcatDim());
      } else {
        unknown("concat_dim", type);
      }
    }
    if (v0.hasDetFgThreshold()) {
      if (window) {
        out.getWindowDataParamBuilder().setFgThreshold(v0.getDetFgThreshold());
      } else {
        unknown("det_fg_threshold", type);
      }
    }
    if (v0.hasDetBgThreshold()) {
      if (window) {
        out.getWindowDataParamBuilder().setBgThreshold(v0.getDetBgThreshold());
      } else {
        unknown("det_bg_threshold", type);
      }
    }
    if (v0.hasDetFgFraction()) {
      if (window) {
        out.getWindowDataParamBuilder().setFgFraction(v0.getDetFgFraction());
      } else {
        unknown("det_fg_fraction", type);
      }
    }
    if (v0.hasDetContextPad()) {
      if (window) {
        out.getWindowDataParamBuilder().setContextPad(v0.getDetContextPad());
      } else {
        unknown("det_context_pad", type);
      }
    }
    if (v0.hasDetCropMode()) {
      if (window) {
        out.getWindowDataParamBuilder().setCropMode(v0.getDetCropMode());
      } else {
        unknown("det_crop_mode", type);
      }
    }
    if (v0.hasHdf5OutputParam()) {
      if (type.equals("hdf5_output")) {
        out.setHdf5OutputParam(v0.getHdf5OutputParam());
      } else {
        unknown("hdf5_output_param", type);
      }
    }
    return out.build();
  }

  private static final Map<String, LayerType> TYPES = Map.ofEntries(
      Map.entry("accuracy", LayerType.ACCURACY),
      Map.entry("bnll", LayerType.BNLL),
      Map.entry("concat", LayerType.CONCAT),
      Map.entry("conv", LayerType.CONVOLUTION),
      Map.entry("data", LayerType.DATA),
      Map.entry("dropout", LayerType.DROPOUT),
      Map.entry("euclidean_loss", LayerType.EUCLIDEAN_LOSS),
      Map.entry("flatten", LayerType.FLATTEN),
      Map.entry("hdf5_data", LayerType.HDF5_DATA),
      Map.entry("hdf5_output", LayerType.HDF5_OUTPUT),
      Map.entry("im2col", LayerType.IM2COL),
      Map.entry("images", LayerType.IMAGE_DATA),
      Map.entry("infogain_loss", LayerType.INFOGAIN_LOSS),
      Map.entry("innerproduct", LayerType.INNER_PRODUCT),
      Map.entry("lrn", LayerType.LRN),
      Map.entry("multinomial_logistic_loss", LayerType.MULTINOMIAL_LOGISTIC_LOSS),
      Map.entry("pool", LayerType.POOLING),
      Map.entry("relu", LayerType.RELU),
      Map.entry("sigmoid", LayerType.SIGMOID),
      Map.entry("softmax", LayerType.SOFTMAX),
      Map.entry("softmax_loss", LayerType.SOFTMAX_LOSS),
      Map.entry("split", LayerType.SPLIT),
      Map.entry("tanh", LayerType.TANH),
      Map.entry("window_data", LayerType.WINDOW_DATA));

  private LayerType layerType(String type, String layerName) {
    LayerType t = TYPES.get(type);
    if (t == null) {
      throw new KaffeeException(source + ": V0 layer '" + layerName + "' has unknown type '"
          + type + "'");
    }
    return t;
  }
}
