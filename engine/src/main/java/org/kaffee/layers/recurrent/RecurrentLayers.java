package org.kaffee.layers.recurrent;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the recurrent layer family (RNN, LSTM, LSTMUnit) with the LayerRegistry. */
public final class RecurrentLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("RNN", RNNLayer::new),
        Map.entry("LSTM", LSTMLayer::new),
        Map.entry("LSTMUnit", LSTMUnitLayer::new)
    );
  }
}
