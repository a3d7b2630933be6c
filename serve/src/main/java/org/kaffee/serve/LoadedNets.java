package org.kaffee.serve;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.kaffee.visual.InferenceNet;

/**
 * The last few nets the pages asked for, kept loaded (building a net and reading its weights
 * takes longer than using it). A net is not thread-safe: callers use it under {@link #with}.
 */
final class LoadedNets {
  private static final int KEEP = 3;

  private final Map<String, InferenceNet> nets = new LinkedHashMap<>(8, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, InferenceNet> eldest) {
      return size() > KEEP;
    }
  };

  /** Runs {@code use} on the net of {@code model} with {@code weights} (null: the fillers'), one request at a time. */
  synchronized <T> T with(Path model, Path weights, Function<InferenceNet, T> use) {
    String key = model + "|" + weights;
    InferenceNet net = nets.get(key);
    if (net == null) {
      net = new InferenceNet(model, weights == null ? "" : weights.toString());
      nets.put(key, net);
    }
    return use.apply(net);
  }
}
