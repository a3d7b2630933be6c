package org.kaffee.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.ParamSpec.DimCheckMode;

/**
 * The net's param blobs and their learning settings (Caffe's Net::AppendParam). A param
 * named in {@code param { name: ... }} that was seen before is shared: it takes the
 * owner's memory for data and diff, so gradients of all users accumulate in one place.
 */
final class Params {
  private final List<Blob> all = new ArrayList<>();
  private final List<String> displayNames = new ArrayList<>();
  private final List<Integer> owners = new ArrayList<>();
  private final List<int[]> layerIndices = new ArrayList<>();
  private final Map<String, Integer> indexByName = new HashMap<>();
  private final List<Blob> learnable = new ArrayList<>();
  private final List<Integer> learnableIds = new ArrayList<>();
  private final List<Boolean> hasLr = new ArrayList<>();
  private final List<Boolean> hasDecay = new ArrayList<>();
  private final List<Float> lr = new ArrayList<>();
  private final List<Float> decay = new ArrayList<>();

  void append(Net net, int layerId, LayerParameter lp, int paramId) {
    String paramName = paramId < lp.getParamCount() ? lp.getParam(paramId).getName() : "";
    displayNames.add(paramName.isEmpty() ? Integer.toString(paramId) : paramName);
    int netParamId = all.size();
    Blob blob = net.layers().get(layerId).blobs().get(paramId);
    all.add(blob);
    layerIndices.add(new int[] {layerId, paramId});
    ParamSpec spec = paramId < lp.getParamCount() ? lp.getParam(paramId) : ParamSpec.getDefaultInstance();
    if (paramName.isEmpty() || !indexByName.containsKey(paramName)) {
      owners.add(-1);
      if (!paramName.isEmpty()) {
        indexByName.put(paramName, netParamId);
      }
      learnableIds.add(learnable.size());
      learnable.add(blob);
      hasLr.add(spec.hasLrMult());
      hasDecay.add(spec.hasDecayMult());
      lr.add(spec.getLrMult());
      decay.add(spec.getDecayMult());
      return;
    }
    int ownerId = indexByName.get(paramName);
    owners.add(ownerId);
    int[] owner = layerIndices.get(ownerId);
    Blob ownerBlob = net.layers().get(owner[0]).blobs().get(owner[1]);
    Glog.info("Sharing parameters '%s' owned by layer '%s', param index %d", paramName,
        net.layerNames().get(owner[0]), owner[1]);
    if (spec.getShareMode() == DimCheckMode.PERMISSIVE) {
      KaffeeException.check(blob.count() == ownerBlob.count(),
          "cannot share param '%s' owned by layer '%s' with layer '%s': count mismatch, owner %s, sharer %s",
          paramName, net.layerNames().get(owner[0]), lp.getName(), ownerBlob.shapeString(), blob.shapeString());
    } else {
      KaffeeException.check(Arrays.equals(blob.shape(), ownerBlob.shape()),
          "cannot share param '%s' owned by layer '%s' with layer '%s': shape mismatch, owner %s, sharer %s"
              + " (use share_mode PERMISSIVE to check only counts)",
          paramName, net.layerNames().get(owner[0]), lp.getName(), ownerBlob.shapeString(), blob.shapeString());
    }
    int learnableId = learnableIds.get(ownerId);
    learnableIds.add(learnableId);
    if (spec.hasLrMult()) {
      if (hasLr.get(learnableId)) {
        KaffeeException.check(spec.getLrMult() == lr.get(learnableId),
            "shared param '%s' has mismatched lr_mult", paramName);
      } else {
        hasLr.set(learnableId, true);
        lr.set(learnableId, spec.getLrMult());
      }
    }
    if (spec.hasDecayMult()) {
      if (hasDecay.get(learnableId)) {
        KaffeeException.check(spec.getDecayMult() == decay.get(learnableId),
            "shared param '%s' has mismatched decay_mult", paramName);
      } else {
        hasDecay.set(learnableId, true);
        decay.set(learnableId, spec.getDecayMult());
      }
    }
  }

  /** Points every sharer at its owner's data and diff (Caffe's ShareWeights). */
  void shareWeights() {
    for (int i = 0; i < all.size(); i++) {
      if (owners.get(i) >= 0) {
        all.get(i).shareData(all.get(owners.get(i)));
        all.get(i).shareDiff(all.get(owners.get(i)));
      }
    }
  }

  List<Blob> all() {
    return all;
  }

  List<Blob> learnable() {
    return learnable;
  }

  List<Float> lr() {
    return lr;
  }

  List<Float> decay() {
    return decay;
  }

  List<String> displayNames() {
    return displayNames;
  }

  List<Integer> owners() {
    return owners;
  }

  List<int[]> layerIndices() {
    return layerIndices;
  }
}
