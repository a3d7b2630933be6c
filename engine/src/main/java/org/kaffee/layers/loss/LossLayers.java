package org.kaffee.layers.loss;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the loss layer family with the LayerRegistry. */
public final class LossLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("SoftmaxWithLoss", SoftmaxWithLossLayer::new),
        Map.entry("EuclideanLoss", EuclideanLossLayer::new),
        Map.entry("ContrastiveLoss", ContrastiveLossLayer::new),
        Map.entry("HingeLoss", HingeLossLayer::new),
        Map.entry("InfogainLoss", InfogainLossLayer::new),
        Map.entry("MultinomialLogisticLoss", MultinomialLogisticLossLayer::new),
        Map.entry("SigmoidCrossEntropyLoss", SigmoidCrossEntropyLossLayer::new),
        Map.entry("Accuracy", AccuracyLayer::new),
        Map.entry("ContrastiveAccuracy", ContrastiveAccuracyLayer::new),
        // fork layers (docs/layers.md)
        Map.entry("SmoothL1Loss", SmoothL1LossLayer::new)
    );
  }
}
