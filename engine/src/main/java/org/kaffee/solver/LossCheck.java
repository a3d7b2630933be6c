package org.kaffee.solver;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.log.CppFloat;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Stops training at a non-finite loss, naming the iteration and the first layer whose output went bad. */
final class LossCheck {
  private LossCheck() {
  }

  static void requireFinite(float loss, int iter, Net net) {
    if (Float.isFinite(loss)) {
      return;
    }
    String culprit = "";
    List<Layer> layers = net.layers();
    outer:
    for (int i = 0; i < layers.size(); i++) {
      List<Blob> tops = net.topVecs().get(i);
      for (int t = 0; t < tops.size(); t++) {
        if (!isFinite(tops.get(t).data())) {
          culprit = String.format("; first non-finite output: top '%s' of layer '%s' (%s)",
              net.blobNames().get(net.topIds(i).get(t)), net.layerNames().get(i),
              layers.get(i).type());
          break outer;
        }
      }
    }
    throw new KaffeeException(String.format("iteration %d: the loss is %s%s. Training stopped"
        + " (lower base_lr or check the data); no snapshot of these weights was written",
        iter, CppFloat.format(loss), culprit));
  }

  static boolean isFinite(INDArray a) {
    // NaN anywhere makes the sum NaN; an infinite element makes the largest magnitude infinite
    // (an overflowing sum of finite values alone is not a failure).
    return !Double.isNaN(a.sumNumber().doubleValue())
        && Double.isFinite(a.amaxNumber().doubleValue());
  }
}
