package org.kaffee.serve;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.kaffee.api.Kaffee;
import org.kaffee.api.NetLoader;
import org.kaffee.api.Network;

/**
 * The last few nets the pages asked for, kept loaded (building a net and reading its weights
 * takes longer than using it). A net is not thread-safe: callers use it under {@link #with}.
 */
final class LoadedNets {
  private static final int KEEP = 3;

  private final Map<String, Network> nets = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Network> eldest) {
      return size() > KEEP;
    }
  };

  /** Runs {@code use} on the net of {@code model} with {@code weights} (null: the fillers'), one request at a time. */
  synchronized <T> T with(Path model, Path weights, Function<Network, T> use) {
    String key = model + "|" + weights;
    Network net = nets.get(key);
    if (net == null) {
      // one image per pass, and gradients down to the input (as visualize opens nets)
      NetLoader loader = Kaffee.open(model).forceBackward(true).batchSize(1);
      net = (weights == null ? loader : loader.weights(weights)).load();
      nets.put(key, net);
    }
    return use.apply(net);
  }
}
