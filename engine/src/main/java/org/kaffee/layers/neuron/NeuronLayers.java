package org.kaffee.layers.neuron;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the neuron layer family with the LayerRegistry. */
public final class NeuronLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("AbsVal", AbsValLayer::new),
        Map.entry("BNLL", BNLLLayer::new),
        Map.entry("Clip", ClipLayer::new),
        Map.entry("Dropout", DropoutLayer::new),
        Map.entry("ELU", ELULayer::new),
        Map.entry("Exp", ExpLayer::new),
        Map.entry("Log", LogLayer::new),
        Map.entry("Power", PowerLayer::new),
        Map.entry("PReLU", PReLULayer::new),
        Map.entry("ReLU", ReLULayer::new),
        Map.entry("ReLU6", ReLU6Layer::new),
        Map.entry("Sigmoid", SigmoidLayer::new),
        Map.entry("Swish", SwishLayer::new),
        Map.entry("TanH", TanHLayer::new),
        Map.entry("Threshold", ThresholdLayer::new)
    );
  }
}
