package org.kaffee.api;

import java.nio.FloatBuffer;

/**
 * A blob's values (or gradients) at one shape, and the array that owns their memory: while this
 * object is reachable the memory is not freed, even after the net or the blob let go of it
 * (pycaffe's views stay valid after {@code del net}, as in Caffe).
 */
public final class BlobMemory {
  /** The ND4J array of the memory, held only so the garbage collector keeps it (typed Object for JPype). */
  @SuppressWarnings("unused")
  private final Object owner;
  private final FloatBuffer buffer;
  private final long address;
  private final int[] shape;

  BlobMemory(Object owner, FloatBuffer buffer, long address, int[] shape) {
    this.owner = owner;
    this.buffer = buffer;
    this.address = address;
    this.shape = shape;
  }

  /** Where the first value lies in native memory (numpy's array interface takes it as is). */
  public long address() {
    return address;
  }

  /** A direct buffer of the values, row-major. */
  public FloatBuffer buffer() {
    return buffer;
  }

  public int[] shape() {
    return shape.clone();
  }
}
