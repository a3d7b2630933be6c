package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ReLU over float32 arrays through oneDNN's eltwise primitives, kept for the array length:
 * {@code x > 0 ? x : slope * x}, and {@code dy * (x > 0 ? 1 : slope)} backward. Arrays from
 * {@link #SPLIT_FROM} elements on run as two halves on the cores. Either may work in place.
 */
public final class Rectifier {
  /** Arrays from this length on are split between the cores. */
  private static final int SPLIT_FROM = 1 << 16;

  private final float slope;
  private long length = -1;
  private Part[] parts;

  public Rectifier(float slope) {
    this.slope = slope;
  }

  /** The primitives of one part of the array: {@code count} elements from {@code from}. */
  private final class Part {
    private final long from;
    private final dnnl_memory_desc_t desc;
    private final Dnnl.Primitive forward;
    private Dnnl.Primitive backward;
    /** Slots: 0 bottom data, 1 top data, 2 top diff, 3 bottom diff. */
    private final Cursors cursors = new Cursors(4);

    Part(long from, long count) {
      this.from = from;
      desc = Dnnl.desc(dnnl_x, count);
      dnnl_eltwise_desc_t op = new dnnl_eltwise_desc_t();
      Dnnl.check(dnnl_eltwise_forward_desc_init(op, dnnl_forward_training, dnnl_eltwise_relu, desc, slope, 0f),
          "describe a ReLU of " + count);
      forward = new Dnnl.Primitive(op, null, DNNL_ARG_SRC, DNNL_ARG_DST);
    }

    Dnnl.Primitive backward() {
      if (backward == null) {
        dnnl_eltwise_desc_t op = new dnnl_eltwise_desc_t();
        Dnnl.check(dnnl_eltwise_backward_desc_init(op, dnnl_eltwise_relu, desc, desc, slope, 0f),
            "describe a ReLU's backward");
        backward = new Dnnl.Primitive(op, forward.desc(), DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC);
      }
      return backward;
    }
  }

  private void fit(long n) {
    if (n == length) {
      return;
    }
    int count = n >= SPLIT_FROM ? BatchParts.PARTS : 1;
    long[] b = BatchParts.bounds(n, count);
    parts = new Part[count];
    for (int p = 0; p < count; p++) {
      parts[p] = new Part(b[p], b[p + 1] - b[p]);
    }
    length = n;
  }

  /** y = relu(x); x and y may be the same array. */
  public void forward(INDArray x, INDArray y) {
    fit(x.length());
    Parallel.forRange(parts.length, (worker, first, last) -> {
      for (int p = first; p < last; p++) {
        Cursors c = parts[p].cursors;
        parts[p].forward.run(c.on(0, x).addressAt(parts[p].from), c.on(1, y).addressAt(parts[p].from));
      }
    });
  }

  /** dx = dy * relu'(x); dx and dy may be the same array. */
  public void backward(INDArray x, INDArray dy, INDArray dx) {
    fit(x.length());
    Parallel.forRange(parts.length, (worker, first, last) -> {
      for (int p = first; p < last; p++) {
        long at = parts[p].from;
        Cursors c = parts[p].cursors;
        parts[p].backward().run(c.on(0, x).addressAt(at), c.on(2, dy).addressAt(at), c.on(3, dx).addressAt(at));
      }
    });
  }
}
