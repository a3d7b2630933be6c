package org.kaffee.core;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kaffee.log.Glog;

/** Caffe's backward analysis: skip layers that do not lead to a loss or need no gradient. */
final class BackwardAnalysis {
  private BackwardAnalysis() {}

  /**
   * Clears {@code layerNeedBackward} (one flag per layer) and the net's bottom flags where no loss
   * lies downstream or nothing upstream learns; with {@code forceBackward}, sets every flag that
   * a layer allows, and {@code blobNeedBackward} (one flag per blob) with them.
   */
  static void run(Net net, List<Boolean> blobNeedBackward, List<Boolean> layerNeedBackward, boolean forceBackward) {
    List<Layer> layers = net.layers();
    Set<String> underLoss = new HashSet<>();
    Set<String> skipBackprop = new HashSet<>();
    for (int id = layers.size() - 1; id >= 0; id--) {
      Layer layer = layers.get(id);
      boolean contributesLoss = false;
      boolean skipPropagateDown = true;
      for (int t = 0; t < net.topIds(id).size(); t++) {
        String blobName = net.blobNames().get(net.topIds(id).get(t));
        if (layer.loss(t) != 0 || underLoss.contains(blobName)) {
          contributesLoss = true;
        }
        if (!skipBackprop.contains(blobName)) {
          skipPropagateDown = false;
        }
      }
      boolean[] need = net.bottomNeedBackward(id);
      if (layerNeedBackward.get(id) && skipPropagateDown) {
        layerNeedBackward.set(id, false);
        Arrays.fill(need, false);
      }
      if (!contributesLoss) {
        layerNeedBackward.set(id, false);
      }
      Glog.info("%s %s backward computation.", net.layerNames().get(id),
          layerNeedBackward.get(id) ? "needs" : "does not need");
      for (int b = 0; b < need.length; b++) {
        String blobName = net.blobNames().get(net.bottomIds(id).get(b));
        if (contributesLoss) {
          underLoss.add(blobName);
        } else {
          need[b] = false;
        }
        if (!need[b]) {
          skipBackprop.add(blobName);
        }
      }
    }
    if (forceBackward) {
      for (int id = 0; id < layers.size(); id++) {
        layerNeedBackward.set(id, true);
        boolean[] need = net.bottomNeedBackward(id);
        for (int b = 0; b < need.length; b++) {
          need[b] = need[b] || layers.get(id).allowForceBackward(b);
          int blobId = net.bottomIds(id).get(b);
          blobNeedBackward.set(blobId, blobNeedBackward.get(blobId) || need[b]);
        }
        for (int p = 0; p < layers.get(id).blobs().size(); p++) {
          layers.get(id).setParamPropagateDown(p, true);
        }
      }
    }
  }
}
