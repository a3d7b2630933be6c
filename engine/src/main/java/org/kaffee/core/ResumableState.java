package org.kaffee.core;

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
}
