package org.kaffee.core;

import java.util.List;
import org.kaffee.log.Glog;

/**
 * The per-layer lines Caffe prints with {@code debug_info: true}: the mean absolute value
 * of each top and param after forward, of each bottom and param diff after backward.
 */
final class DebugInfo {
  private DebugInfo() {
  }

  static void forward(Net net, int layer) {
    List<Blob> top = net.topVecs().get(layer);
    for (int t = 0; t < top.size(); t++) {
      Blob blob = top.get(t);
      Glog.info("    [Forward] Layer %s, top blob %s data: %s", net.layerNames().get(layer),
          net.blobNames().get(net.topIds(layer).get(t)), format(meanAbs(blob.asumData(), blob)));
    }
    List<Blob> params = net.layers().get(layer).blobs();
    for (int p = 0; p < params.size(); p++) {
      Blob blob = params.get(p);
      Glog.info("    [Forward] Layer %s, param blob %d data: %s", net.layerNames().get(layer), p,
          format(meanAbs(blob.asumData(), blob)));
    }
  }

  static void backward(Net net, int layer) {
    List<Blob> bottom = net.bottomVecs().get(layer);
    boolean[] need = net.bottomNeedBackward(layer);
    for (int b = 0; b < bottom.size(); b++) {
      if (need[b]) {
        Blob blob = bottom.get(b);
        Glog.info("    [Backward] Layer %s, bottom blob %s diff: %s", net.layerNames().get(layer),
            net.blobNames().get(net.bottomIds(layer).get(b)), format(meanAbs(blob.asumDiff(), blob)));
      }
    }
    List<Blob> params = net.layers().get(layer).blobs();
    for (int p = 0; p < params.size(); p++) {
      if (net.layers().get(layer).paramPropagateDown(p)) {
        Blob blob = params.get(p);
        Glog.info("    [Backward] Layer %s, param blob %d diff: %s", net.layerNames().get(layer), p,
            format(meanAbs(blob.asumDiff(), blob)));
      }
    }
  }

  static void params(Net net) {
    List<Blob> all = net.params();
    for (int i = 0; i < all.size(); i++) {
      if (net.paramOwners().get(i) >= 0) {
        continue;
      }
      Blob blob = all.get(i);
      int[] where = net.paramLayerIndices().get(i);
      Glog.info("    [Backward] Layer %s, param %s data: %s; diff: %s",
          net.layerNames().get(where[0]), net.paramDisplayNames().get(i),
          format(meanAbs(blob.asumData(), blob)), format(meanAbs(blob.asumDiff(), blob)));
    }
  }

  private static double meanAbs(double asum, Blob blob) {
    return asum / Math.max(blob.count(), 1);
  }

  /** Formats a number as C++ iostreams do by default (6 significant digits, %g-like). */
  static String format(double v) {
    return org.kaffee.log.CppFloat.format(v);
  }
}
