package org.kaffee.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Movable pointers into one float32 array's native memory, for the native kernels that take
 * addresses (cblas, oneDNN); one cursor per thread and argument, never shared. JavaCPP counts a
 * position in the parameter's element size: floats for {@code float*}, bytes for {@code void*}.
 */
public final class FloatCursor {
  private final FloatPointer floats;
  private final Pointer bytes;

  /** A cursor over {@code array}, which must be float32, in 'c' order and contiguous. */
  public FloatCursor(INDArray array) {
    if (array.dataType() != DataType.FLOAT || array.ordering() != 'c' || array.elementWiseStride() != 1) {
      throw new IllegalArgumentException("a native kernel needs a contiguous float32 'c' array, got "
          + array.shapeInfoToString());
    }
    Pointer memory = array.data().addressPointer();
    long first = memory.address() + memory.position() * memory.sizeof() + array.offset() * Float.BYTES;
    floats = new FloatPointer() {
      {
        address = first;
      }
    };
    bytes = new Pointer() {
      {
        address = first;
      }
    };
  }

  /** A {@code float*} placed {@code offset} floats past the array's first element. */
  public FloatPointer at(long offset) {
    return floats.position(offset);
  }

  /** A {@code void*} placed {@code offset} floats past the array's first element. */
  public Pointer addressAt(long offset) {
    return bytes.position(offset * Float.BYTES);
  }
}
