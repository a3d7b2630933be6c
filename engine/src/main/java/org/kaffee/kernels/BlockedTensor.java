package org.kaffee.kernels;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A tensor a oneDNN kernel reads or writes in its own layout (channel blocks: nChw8c, nChw16c)
 * while the blob holding it stays in Caffe's plain nchw: one buffer in the kernel's layout and
 * the two reorders between it and the blob. When the kernel's layout is the plain one it is the
 * blob itself, with no copy. One thread at a time uses it (a batch part's).
 */
final class BlockedTensor {
  /** Null when the kernel reads the plain layout. */
  private final Dnnl.Primitive plainIn;
  private final Dnnl.Primitive plainOut;
  private final BytePointer buffer;

  /** Between the plain descriptor {@code plain} and {@code kernel}'s layout of the same dims. */
  BlockedTensor(dnnl_memory_desc_t plain, dnnl_memory_desc_t kernel) {
    if (Dnnl.sameLayout(plain, kernel)) {
      plainIn = plainOut = null;
      buffer = null;
    } else {
      plainIn = Dnnl.Primitive.reorder(plain, kernel);
      plainOut = Dnnl.Primitive.reorder(kernel, plain);
      buffer = new BytePointer(Dnnl.bytes(kernel));
    }
  }

  /** Where the kernel reads the tensor at {@code plain}: a blocked copy made now, or {@code plain} itself. */
  Pointer read(Pointer plain) {
    if (buffer == null) {
      return plain;
    }
    plainIn.run(plain, buffer);
    return buffer;
  }

  /** Where the kernel writes a tensor that {@link #written} then moves to {@code plain}. */
  Pointer target(Pointer plain) {
    return buffer == null ? plain : buffer;
  }

  /** Moves what the kernel wrote into {@link #target}'s buffer to {@code plain}, in nchw. */
  void written(Pointer plain) {
    if (buffer != null) {
      plainOut.run(buffer, plain);
    }
  }
}
