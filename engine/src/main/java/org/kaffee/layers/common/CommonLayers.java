package org.kaffee.layers.common;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the common layer family with the LayerRegistry. */
public final class CommonLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("Input", InputLayer::new),
        Map.entry("Split", SplitLayer::new),
        Map.entry("InnerProduct", InnerProductLayer::new),
        Map.entry("Concat", ConcatLayer::new),
        Map.entry("Slice", SliceLayer::new),
        Map.entry("Flatten", FlattenLayer::new),
        Map.entry("Reshape", ReshapeLayer::new),
        Map.entry("Silence", SilenceLayer::new),
        Map.entry("Eltwise", EltwiseLayer::new),
        Map.entry("BatchNorm", BatchNormLayer::new),
        Map.entry("Scale", ScaleLayer::new),
        Map.entry("Bias", BiasLayer::new),
        Map.entry("Softmax", SoftmaxLayer::new),
        Map.entry("ArgMax", ArgMaxLayer::new),
        Map.entry("BatchReindex", BatchReindexLayer::new),
        Map.entry("Filter", FilterLayer::new),
        Map.entry("Tile", TileLayer::new),
        Map.entry("Reduction", ReductionLayer::new),
        Map.entry("MVN", MVNLayer::new),
        Map.entry("Embed", EmbedLayer::new),
        Map.entry("Parameter", ParameterLayer::new),
        // fork layers (docs/layers.md)
        Map.entry("Axpy", AxpyLayer::new),
        Map.entry("Normalize", NormalizeLayer::new),
        Map.entry("Permute", PermuteLayer::new),
        Map.entry("ShuffleChannel", ShuffleChannelLayer::new)
    );
  }
}
