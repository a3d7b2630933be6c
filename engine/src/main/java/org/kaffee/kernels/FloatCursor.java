package org.kaffee.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Movable pointers into one float32 array's native memory, for the native kernels that take
 * addresses (cblas, oneDNN); one cursor per thread and argument, never shared. JavaCPP counts a
 * position in the parameter's element size: floats for {@code float*}, bytes for {@code void*}.
 * A kernel keeps its cursors and {@link #point}s them at each pass's arrays: asking ND4J for an
 * address makes new pointer objects, so a cursor asks again only when the array changed.
 */
public final class FloatCursor {
  private final MovableFloats floats = new MovableFloats();
  private final MovableBytes bytes = new MovableBytes();
  private INDArray array;

  /** Places the cursor on {@code a}, which must be float32, in 'c' order and contiguous. */
  public FloatCursor point(INDArray a) {
    if (a != array) {
      if (a.dataType() != DataType.FLOAT || a.ordering() != 'c' || a.elementWiseStride() != 1) {
        throw new IllegalArgumentException("a native kernel needs a contiguous float32 'c' array, got "
            + a.shapeInfoToString());
      }
      Pointer memory = a.data().addressPointer();
      long first = memory.address() + memory.position() * memory.sizeof() + a.offset() * Float.BYTES;
      floats.moveTo(first);
      bytes.moveTo(first);
      array = a;
    }
    return this;
  }

  /** A {@code float*} placed {@code offset} floats past the array's first element. */
  public FloatPointer at(long offset) {
    return floats.position(offset);
  }

  /** A {@code void*} placed {@code offset} floats past the array's first element. */
  public Pointer addressAt(long offset) {
    return bytes.position(offset * Float.BYTES);
  }

  private static final class MovableFloats extends FloatPointer {
    void moveTo(long first) {
      address = first;
    }
  }

  private static final class MovableBytes extends Pointer {
    void moveTo(long first) {
      address = first;
    }
  }
}
