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
        Map.entry("Split", SplitLayer::new)
    );
  }
}
