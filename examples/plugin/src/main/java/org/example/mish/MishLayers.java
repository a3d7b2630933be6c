package org.example.mish;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * The plugin's entry point, named in META-INF/services/org.kaffee.core.LayerProvider:
 * {@code type: "Mish"}, and {@code type: "Python"} layers with
 * {@code python_param { module: "mish_layers" layer: "Mish" }}.
 */
public final class MishLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.of("Mish", MishLayer::new);
  }

  @Override
  public Map<String, Function<LayerParameter, Layer>> pythonLayers() {
    return Map.of("mish_layers.Mish", MishLayer::new);
  }
}
