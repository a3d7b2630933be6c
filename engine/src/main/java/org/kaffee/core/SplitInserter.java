package org.kaffee.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Inserts a Split layer after every top that feeds more than one consumer (a loss weight
 * counts as a consumer), named as Caffe names them: layer {@code <layer>_<blob>_<i>_split},
 * tops {@code <layer>_<blob>_<i>_split_<k>} (Caffe's insert_splits.cpp).
 */
public final class SplitInserter {
  private SplitInserter() {
  }

  /** (layer index, blob index) of a top. */
  private record Slot(int layer, int index) {
  }

  public static NetParameter insertSplits(NetParameter param) {
    List<LayerParameter> layers = param.getLayerList();
    Map<String, Slot> lastTop = new HashMap<>();
    Map<Slot, Slot> sourceOfBottom = new HashMap<>();
    Map<Slot, Integer> consumers = new HashMap<>();
    Map<Slot, Float> lossWeight = new HashMap<>();
    Map<Slot, Integer> nextSplit = new HashMap<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerParameter layer = layers.get(i);
      for (int j = 0; j < layer.getBottomCount(); j++) {
        String blob = layer.getBottom(j);
        Slot top = lastTop.get(blob);
        KaffeeException.check(top != null, "unknown bottom blob '%s' (layer '%s', bottom index %d)",
            blob, layer.getName(), j);
        sourceOfBottom.put(new Slot(i, j), top);
        consumers.merge(top, 1, Integer::sum);
      }
      for (int j = 0; j < layer.getTopCount(); j++) {
        lastTop.put(layer.getTop(j), new Slot(i, j));
      }
      int weighted = Math.min(layer.getLossWeightCount(), layer.getTopCount());
      for (int j = 0; j < weighted; j++) {
        Slot top = new Slot(i, j);
        lossWeight.put(top, layer.getLossWeight(j));
        if (layer.getLossWeight(j) != 0) {
          consumers.merge(top, 1, Integer::sum);
        }
      }
    }
    NetParameter.Builder out = param.toBuilder().clearLayer();
    for (int i = 0; i < layers.size(); i++) {
      LayerParameter.Builder layer = layers.get(i).toBuilder();
      for (int j = 0; j < layer.getBottomCount(); j++) {
        Slot top = sourceOfBottom.get(new Slot(i, j));
        if (consumers.getOrDefault(top, 0) > 1) {
          String producer = layers.get(top.layer()).getName();
          int k = nextSplit.merge(top, 1, Integer::sum) - 1;
          layer.setBottom(j, splitBlobName(producer, layer.getBottom(j), top.index(), k));
        }
      }
      int self = out.getLayerCount();
      out.addLayer(layer);
      for (int j = 0; j < layer.getTopCount(); j++) {
        Slot top = new Slot(i, j);
        int count = consumers.getOrDefault(top, 0);
        if (count > 1) {
          float weight = lossWeight.getOrDefault(top, 0f);
          out.addLayer(splitLayer(layer.getName(), layer.getTop(j), j, count, weight));
          if (weight != 0) {
            // The split's first top now carries the loss.
            out.getLayerBuilder(self).clearLossWeight();
            nextSplit.merge(top, 1, Integer::sum);
          }
        }
      }
    }
    return out.build();
  }

  private static LayerParameter splitLayer(String layer, String blob, int index, int count,
      float weight) {
    LayerParameter.Builder split = LayerParameter.newBuilder()
        .setName(splitLayerName(layer, blob, index)).setType("Split").addBottom(blob);
    for (int k = 0; k < count; k++) {
      split.addTop(splitBlobName(layer, blob, index, k));
      if (weight != 0) {
        split.addLossWeight(k == 0 ? weight : 0);
      }
    }
    return split.build();
  }

  public static String splitLayerName(String layer, String blob, int index) {
    return layer + "_" + blob + "_" + index + "_split";
  }

  public static String splitBlobName(String layer, String blob, int index, int k) {
    return splitLayerName(layer, blob, index) + "_" + k;
  }
}
