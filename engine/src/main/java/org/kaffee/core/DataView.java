package org.kaffee.core;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Element access to a blob's memory for the layers whose work is a loop (pooling
 * windows, LRN, fillers): one kernel serves float32 training and float64 gradient
 * checks. It is a view of ND4J's off-heap buffer, so writes are seen by INDArray ops
 * and nothing is copied. At run time only one implementation is loaded per precision,
 * so the JIT inlines the calls.
 */
public interface DataView {
  double get(int i);

  void set(int i, double v);

  default void add(int i, double v) {
    set(i, get(i) + v);
  }

  int length();

  /** Sets the first {@code values.length} elements to {@code values}. */
  default void copyFrom(float[] values) {
    for (int i = 0; i < values.length; i++) {
      set(i, values[i]);
    }
  }

  /** The elements as a Java array (a copy), for layers that work on whole small blobs. */
  default double[] toArray() {
    double[] out = new double[length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = get(i);
    }
    return out;
  }

  /** Sets the first {@code values.length} elements to {@code values}. */
  default void copyFrom(double[] values) {
    for (int i = 0; i < values.length; i++) {
      set(i, values[i]);
    }
  }

  /** A view of the first {@code length} elements of a contiguous, offset-0 array. */
  static DataView of(INDArray flat, int length) {
    if (flat.dataType() == DataType.DOUBLE) {
      return new F64(flat.data().asNioDouble(), length);
    }
    if (flat.dataType() != DataType.FLOAT) {
      // not check(...): its varargs array would be garbage on every view of every pass
      throw new KaffeeException("unsupported blob data type " + flat.dataType());
    }
    return new F32(flat.data().asNioFloat(), length);
  }

  /** float32 memory. */
  record F32(FloatBuffer buf, int length) implements DataView {
    @Override
    public double get(int i) {
      return buf.get(i);
    }

    @Override
    public void set(int i, double v) {
      buf.put(i, (float) v);
    }

    /** One bulk put: a data layer copies a whole batch per iteration. */
    @Override
    public void copyFrom(float[] values) {
      buf.put(0, values, 0, values.length);
    }
  }

  /** float64 memory. */
  record F64(DoubleBuffer buf, int length) implements DataView {
    @Override
    public double get(int i) {
      return buf.get(i);
    }

    @Override
    public void set(int i, double v) {
      buf.put(i, v);
    }
  }
}
