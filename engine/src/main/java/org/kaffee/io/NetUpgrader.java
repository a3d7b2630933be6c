package org.kaffee.io;

import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobShape;
import org.kaffee.proto.Caffe.InputParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.ParamSpec;

/**
 * Upgrades legacy nets to the current format, step by step as Caffe's UpgradeNetAsNeeded
 * (upgrade_proto.cpp) does, with the same log lines: V0 layers to V1, data-layer
 * transformation fields to transform_param, V1 layers to current layers, input fields to an
 * Input layer, and old BatchNorm param specs to fixed (lr_mult 0, decay_mult 0) ones.
 */
public final class NetUpgrader {
  private NetUpgrader() {
  }

  /** The upgraded net and whether every step was fully compatible (see the logged errors). */
  public record Result(NetParameter net, boolean success) {
  }

  /** Upgrades as needed; problems Caffe only logs are logged, fatal ones throw naming {@code source}. */
  public static NetParameter upgrade(NetParameter param, String source) {
    return upgradeAsNeeded(param, source).net();
  }

  /** Caffe's NetNeedsUpgrade. */
  public static boolean needsUpgrade(NetParameter net) {
    return V0Upgrader.needsUpgrade(net) || V1Upgrader.needsUpgrade(net)
        || V1Upgrader.needsDataUpgrade(net) || needsInputUpgrade(net) || needsBatchNormUpgrade(net);
  }

  /** Caffe's UpgradeNetAsNeeded. */
  public static Result upgradeAsNeeded(NetParameter param, String source) {
    boolean success = true;
    if (V0Upgrader.needsUpgrade(param)) {
      Glog.info("Attempting to upgrade input file specified using deprecated V0LayerParameter: %s",
          source);
      V0Upgrader v0 = new V0Upgrader(source);
      param = v0.upgrade(param);
      if (!v0.fullyCompatible()) {
        success = false;
        Glog.error("Warning: had one or more problems upgrading V0NetParameter to NetParameter "
            + "(see above); continuing anyway.");
      } else {
        Glog.info("Successfully upgraded file specified using deprecated V0LayerParameter");
      }
      Glog.warn("Note that future Caffe releases will not support V0NetParameter; use "
          + "'kaffee upgrade_net_proto_text' for prototxt and 'kaffee upgrade_net_proto_binary' "
          + "for model weights to upgrade this and any other net protos to the new format.");
    }
    if (V1Upgrader.needsDataUpgrade(param)) {
      Glog.info("Attempting to upgrade input file specified using deprecated transformation "
          + "parameters: %s", source);
      param = V1Upgrader.upgradeDataTransformation(param);
      Glog.info("Successfully upgraded file specified using deprecated data transformation "
          + "parameters.");
      Glog.warn("Note that future Caffe releases will only support transform_param messages for "
          + "transformation fields.");
    }
    if (V1Upgrader.needsUpgrade(param)) {
      Glog.info("Attempting to upgrade input file specified using deprecated V1LayerParameter: %s",
          source);
      V1Upgrader.Upgraded v1 = new V1Upgrader(source).upgrade(param);
      param = v1.net();
      if (!v1.fullyCompatible()) {
        success = false;
        Glog.error("Warning: had one or more problems upgrading V1LayerParameter (see above); "
            + "continuing anyway.");
      } else {
        Glog.info("Successfully upgraded file specified using deprecated V1LayerParameter");
      }
    }
    if (needsInputUpgrade(param)) {
      Glog.info("Attempting to upgrade input file specified using deprecated input fields: %s",
          source);
      param = upgradeInput(param, source);
      Glog.info("Successfully upgraded file specified using deprecated input fields.");
      Glog.warn("Note that future Caffe releases will only support input layers and not input "
          + "fields.");
    }
    if (needsBatchNormUpgrade(param)) {
      Glog.info("Attempting to upgrade batch norm layers using deprecated params: %s", source);
      param = upgradeBatchNorm(param);
      Glog.info("Successfully upgraded batch norm layers using deprecated params.");
    }
    return new Result(param, success);
  }

  static boolean needsInputUpgrade(NetParameter net) {
    return net.getInputCount() > 0;
  }

  /**
   * Turns {@code input} + {@code input_shape}/{@code input_dim} into an Input layer named
   * "input" placed first. Inputs without any shape (legacy caffemodels) are just dropped.
   */
  static NetParameter upgradeInput(NetParameter net, String source) {
    NetParameter.Builder out = net.toBuilder();
    boolean hasShape = net.getInputShapeCount() > 0;
    boolean hasDim = net.getInputDimCount() > 0;
    if (hasShape || hasDim) {
      int inputs = net.getInputCount();
      if (hasShape && net.getInputShapeCount() < inputs) {
        throw new KaffeeException(source + ": " + inputs + " inputs but only "
            + net.getInputShapeCount() + " input_shape entries");
      }
      if (!hasShape && net.getInputDimCount() < 4 * inputs) {
        throw new KaffeeException(source + ": " + inputs + " inputs need " + (4 * inputs)
            + " input_dim values (4 per input), got " + net.getInputDimCount());
      }
      LayerParameter.Builder layer = LayerParameter.newBuilder().setName("input").setType("Input");
      InputParameter.Builder input = layer.getInputParamBuilder();
      for (int i = 0; i < inputs; i++) {
        layer.addTop(net.getInput(i));
        if (hasShape) {
          input.addShape(net.getInputShape(i));
        } else {
          BlobShape.Builder shape = input.addShapeBuilder();
          for (int j = 4 * i; j < 4 * i + 4; j++) {
            shape.addDim(net.getInputDim(j));
          }
        }
      }
      out.clearLayer().addLayer(layer).addAllLayer(net.getLayerList());
    }
    return out.clearInput().clearInputShape().clearInputDim().build();
  }

  /** BatchNorm layers that declare three param specs (the old definition). */
  static boolean needsBatchNormUpgrade(NetParameter net) {
    for (LayerParameter layer : net.getLayerList()) {
      if (layer.getType().equals("BatchNorm") && layer.getParamCount() == 3) {
        return true;
      }
    }
    return false;
  }

  /** Caffe 1.0's fix: keep the specs (and names) but set lr_mult and decay_mult to 0. */
  static NetParameter upgradeBatchNorm(NetParameter net) {
    NetParameter.Builder out = net.toBuilder();
    for (LayerParameter.Builder layer : out.getLayerBuilderList()) {
      if (layer.getType().equals("BatchNorm") && layer.getParamCount() == 3) {
        for (ParamSpec.Builder spec : layer.getParamBuilderList()) {
          spec.setLrMult(0f).setDecayMult(0f);
        }
      }
    }
    return out.build();
  }
}
