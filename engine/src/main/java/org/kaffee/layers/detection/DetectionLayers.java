package org.kaffee.layers.detection;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the detection layer family (SSD's boxes) with the LayerRegistry. */
public final class DetectionLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("PriorBox", PriorBoxLayer::new),
        Map.entry("DetectionOutput", DetectionOutputLayer::new),
        Map.entry("MultiBoxLoss", MultiBoxLossLayer::new),
        Map.entry("DetectionEvaluate", DetectionEvaluateLayer::new)
    );
  }
}
