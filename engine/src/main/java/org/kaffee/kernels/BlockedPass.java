package org.kaffee.kernels;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.Pointer;

/**
 * One oneDNN primitive run between tensors in Caffe's plain layouts while its kernel works in the
 * layouts it chose itself (channel blocks: nChw16c, OIhw16i16o, ...): each argument the kernel
 * wants in another layout is reordered into it before the run (an input) or out of it after (an
 * output), through a {@link BlockedTensor}; an argument in its plain layout is used in place.
 * One thread at a time runs it (a batch part's).
 */
final class BlockedPass {
  private final Dnnl.Primitive kernel;
  private final BlockedTensor[] tensors;
  private final boolean[] output;
  /** The kernel's addresses of the current run, kept to spare an array per call. */
  private final Pointer[] at;

  /**
   * The primitive of {@code op} (whose descriptors leave layouts to the kernel) taking the
   * arguments {@code kinds} (DNNL_ARG_SRC, ...; {@code hint} as for {@link Dnnl.Primitive}), each
   * held in Caffe's layout {@code plain[i]}; the kinds in {@code outputs} are written.
   */
  BlockedPass(Pointer op, dnnl_primitive_desc hint, int[] kinds, dnnl_memory_desc_t[] plain, int... outputs) {
    kernel = new Dnnl.Primitive(op, hint, kinds);
    tensors = new BlockedTensor[kinds.length];
    output = new boolean[kinds.length];
    at = new Pointer[kinds.length];
    for (int i = 0; i < kinds.length; i++) {
      tensors[i] = new BlockedTensor(plain[i], kernel.layoutOf(kinds[i]));
      for (int kind : outputs) {
        output[i] |= kind == kinds[i];
      }
    }
  }

  /** The primitive's descriptor, the hint of a backward pass. */
  dnnl_primitive_desc desc() {
    return kernel.desc();
  }

  /** Runs the kernel over the tensors at these plain addresses, one per argument kind in order. */
  void run(Pointer... plain) {
    for (int i = 0; i < at.length; i++) {
      at[i] = output[i] ? tensors[i].target(plain[i]) : tensors[i].read(plain[i]);
    }
    kernel.run(at);
    for (int i = 0; i < at.length; i++) {
      if (output[i]) {
        tensors[i].written(plain[i]);
      }
    }
  }
}
