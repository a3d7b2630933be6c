package org.kaffee.core;

import java.util.List;
import org.kaffee.proto.KaffeeState.LayerState;

/**
 * A layer whose output depends on where it stands (a data layer's position in its source, its
 * shuffle order, its generators): a snapshot saves that state and a resumed run restores it, so
 * the run continues exactly as the uninterrupted one. The solver collects the states by layer
 * name, knowing no layer class. Layers that draw from {@link Rng#global()} (Dropout) need
 * nothing here: the solver saves that generator itself.
 */
public interface ResumableState {
  /** The state right after the last batch the net consumed (the layer name is the caller's). */
  LayerState saveState();

  /** Continues from a saved state; a state that does not fit the layer's source is refused. */
  void restoreState(LayerState state);

  /** Whether a saved order holds each of 0 to n-1 once (a damaged or foreign state may not). */
  static boolean isPermutation(List<Integer> order, int n) {
    if (order.size() != n) {
      return false;
    }
    boolean[] seen = new boolean[n];
    for (int i : order) {
      if (i < 0 || i >= n || seen[i]) {
        return false;
      }
      seen[i] = true;
    }
    return true;
  }

  /** Whether a saved index lies in [0, n). */
  static boolean inRange(long index, int n) {
    return index >= 0 && index < n;
  }
}
