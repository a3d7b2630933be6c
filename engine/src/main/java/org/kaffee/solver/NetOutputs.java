package org.kaffee.solver;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.log.CppFloat;

/** The net outputs as Caffe's solver and {@code caffe test} report them. */
public final class NetOutputs {
  private NetOutputs() {
  }

  /** The loss weight of each output blob (Caffe's blob_loss_weights), aligned with outputBlobs. */
  public static double[] lossWeights(Net net) {
    List<String> names = net.outputBlobNames();
    double[] weights = new double[names.size()];
    for (int i = 0; i < net.layers().size(); i++) {
      List<Integer> tops = net.topIds(i);
      for (int t = 0; t < tops.size(); t++) {
        double w = net.layers().get(i).loss(t);
        if (w == 0) {
          continue;
        }
        int k = names.indexOf(net.blobNames().get(tops.get(t)));
        if (k >= 0) {
          weights[k] = w;
        }
      }
    }
    return weights;
  }

  /** The values of an output blob, as float32. */
  public static float[] values(Blob blob) {
    int n = blob.count();
    float[] out = new float[n];
    var view = blob.dataView();
    for (int i = 0; i < n; i++) {
      out[i] = (float) view.get(i);
    }
    return out;
  }

  /** {@code " (* w = w*v loss)"} when the weight is non-zero, else empty. */
  public static String lossSuffix(float weight, float value) {
    if (weight == 0) {
      return "";
    }
    return " (* " + CppFloat.format(weight) + " = " + CppFloat.format(weight * value) + " loss)";
  }
}
