package org.kaffee.io;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Mends binary nets written by the forks whose LayerParameter numbers collide with Kaffee's:
 * DeepLab v2 and PSPNet store {@code interp_param} as field 143 (BVLC's {@code input_param}),
 * SegNet and the YOLOv3 forks store {@code upsample_param} as 149 (Kaffee's
 * {@code contrastive_accuracy_param}). Their fields have other wire types than the messages
 * protobuf reads them into, so they arrive as unknown fields there; for an {@code Interp} or
 * {@code Upsample} layer this moves those bytes to the field Kaffee gives the parameter. Text
 * files name the field and need nothing.
 */
public final class ForkFieldNumbers {
  private ForkFieldNumbers() {
  }

  /** The net with the fork parameters of Interp and Upsample layers in Kaffee's fields. */
  public static NetParameter mend(NetParameter net, String file) {
    if (net.getLayerList().stream().noneMatch(ForkFieldNumbers::needsMending)) {
      return net;
    }
    NetParameter.Builder b = net.toBuilder();
    for (LayerParameter.Builder layer : b.getLayerBuilderList()) {
      if (!needsMending(layer.build())) {
        continue;
      }
      if (layer.getType().equals("Interp")) {
        merge(layer.getInputParam().toByteString(), layer.getInterpParamBuilder(), layer, file);
        layer.clearInputParam();
      } else {
        merge(layer.getContrastiveAccuracyParam().toByteString(), layer.getUpsampleParamBuilder(),
            layer, file);
        layer.clearContrastiveAccuracyParam();
      }
    }
    return b.build();
  }

  private static boolean needsMending(LayerParameter layer) {
    return switch (layer.getType()) {
      case "Interp" -> layer.hasInputParam() && !layer.hasInterpParam();
      case "Upsample" -> layer.hasContrastiveAccuracyParam() && !layer.hasUpsampleParam();
      default -> false;
    };
  }

  private static void merge(ByteString bytes, Message.Builder into, LayerParameter.Builder layer,
      String file) {
    try {
      into.mergeFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException(file + ": layer " + layer.getName() + " (" + layer.getType()
          + "): its fork parameter does not parse: " + e.getMessage());
    }
  }
}
