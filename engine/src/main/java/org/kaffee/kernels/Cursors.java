package org.kaffee.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A kernel part's {@link FloatCursor}s, one per argument slot, kept between passes so that a
 * steady-state pass asks ND4J for no address. One part runs on one thread at a time.
 */
final class Cursors {
  private final FloatCursor[] slots;

  Cursors(int count) {
    slots = new FloatCursor[count];
    for (int i = 0; i < count; i++) {
      slots[i] = new FloatCursor();
    }
  }

  /** Slot {@code slot}'s cursor, placed on {@code array}. */
  FloatCursor on(int slot, INDArray array) {
    return slots[slot].point(array);
  }
}
