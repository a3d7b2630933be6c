package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw8c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_exclude_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_avg_include_padding;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_v2_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_v2_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_v2_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.kaffee.core.Blob;
import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;

/**
 * float32 MAX and AVE pooling through oneDNN primitives kept between calls ({@link Dnnl}).
 * Caffe's ceil rounding becomes extra padding on the bottom and right: oneDNN leaves padding out
 * of a maximum as Caffe clips its windows, and no window lies wholly in the padding (Caffe drops
 * such a last window). AVE is served where one of oneDNN's divisors is Caffe's (see {@link #serves}).
 * The MAX forward keeps where each maximum came from in a workspace that the backward reads.
 *
 * <p>The kernels run in the first layout, of plain nchw and the channel blocks nChw16c and
 * nChw8c, for which oneDNN has a JIT kernel: on AVX-512 its JIT kernel reads nchw, on AVX2 only
 * the blocked layouts (on nchw it runs its reference loop, 5-10x slower), so there the bottom
 * and top are reordered into blocks and back around each call ({@link BlockedTensor}). The batch
 * runs as {@link BatchParts#PARTS} fixed parts on the cores; parts share no output, so results
 * do not depend on the core count.
 */
final class DnnlPooling {
  /** The layouts tried, in order: the plain one needs no reorder. */
  private static final int[] LAYOUTS = {dnnl_nchw, dnnl_nChw16c, dnnl_nChw8c};

  private final PoolingShape shape;
  private final int algorithm;
  /** The format tag the kernels read and write. */
  private final int layout;
  private final int parts;
  /** Images {@code [first[p], first[p + 1])} are part p's. */
  private final long[] first;
  private final Part[] part;

  /** The pooling in the first layout that has a JIT kernel (nchw if none has). */
  DnnlPooling(PoolingShape shape, PoolMethod method) {
    this(shape, method, fastestLayout(shape, algorithm(method, shape)));
  }

  /** The pooling with its kernels in {@code layout} (a dnnl format tag), whatever kernel that gives. */
  DnnlPooling(PoolingShape shape, PoolMethod method, int layout) {
    this.shape = shape;
    this.algorithm = algorithm(method, shape);
    this.layout = layout;
    parts = BatchParts.count(shape.num());
    first = BatchParts.bounds(shape.num(), parts);
    part = new Part[parts];
    for (int p = 0; p < parts; p++) {
      part[p] = new Part((int) (first[p + 1] - first[p]));
    }
  }

  /**
   * Whether oneDNN computes Caffe's pooling of this shape: MAX always; AVE where Caffe's divisor
   * (the window clipped to {@code H + pad}, padding counted) is one of oneDNN's: the whole kernel
   * when no window reaches past {@code H + pad}, or the values in the image when there is no pad.
   */
  static boolean serves(PoolMethod method, PoolingShape shape) {
    return method == PoolMethod.MAX || (method == PoolMethod.AVE && everyWindowInTheImage(shape)
        && (noWindowClipped(shape) || (shape.padH() == 0 && shape.padW() == 0)));
  }

  /**
   * Whether every window holds a value of the image. Without pad Caffe's ceil rounding can add
   * a last window wholly past the image, whose average Caffe divides by zero; oneDNN refuses it.
   */
  private static boolean everyWindowInTheImage(PoolingShape s) {
    return (long) (s.pooledH() - 1) * s.strideH() - s.padH() < s.height()
        && (long) (s.pooledW() - 1) * s.strideW() - s.padW() < s.width();
  }

  private static boolean noWindowClipped(PoolingShape s) {
    return endPad(s.pooledH(), s.strideH(), s.kernelH(), s.height(), s.padH()) <= s.padH()
        && endPad(s.pooledW(), s.strideW(), s.kernelW(), s.width(), s.padW()) <= s.padW();
  }

  /** How far the last window reaches past the image on one axis: the pad oneDNN needs there. */
  private static long endPad(int pooled, int stride, int kernel, int size, int pad) {
    return (long) (pooled - 1) * stride + kernel - size - pad;
  }

  private static int algorithm(PoolMethod method, PoolingShape shape) {
    if (!serves(method, shape)) {
      throw new IllegalArgumentException("oneDNN does not compute Caffe's " + method + " pooling " + shape);
    }
    if (method == PoolMethod.MAX) {
      return dnnl_pooling_max;
    }
    return noWindowClipped(shape) ? dnnl_pooling_avg_include_padding : dnnl_pooling_avg_exclude_padding;
  }

  private static int fastestLayout(PoolingShape shape, int algorithm) {
    int images = (int) BatchParts.bounds(shape.num(), BatchParts.count(shape.num()))[1];
    for (int layout : LAYOUTS) {
      if (!Dnnl.isReference(Dnnl.implementation(forwardOp(shape, algorithm, layout, images)))) {
        return layout;
      }
    }
    return dnnl_nchw;
  }

  private static dnnl_pooling_v2_desc_t forwardOp(PoolingShape s, int algorithm, int layout, int images) {
    dnnl_pooling_v2_desc_t op = new dnnl_pooling_v2_desc_t();
    Dnnl.check(dnnl_pooling_v2_forward_desc_init(op, dnnl_forward_training, algorithm, bottomDesc(s, layout, images),
        topDesc(s, layout, images), strides(s), kernel(s), new long[2], padLeft(s), padRight(s)),
        "describe a pooling " + s);
    return op;
  }

  private static dnnl_memory_desc_t bottomDesc(PoolingShape s, int layout, int images) {
    return Dnnl.desc(layout, images, s.channels(), s.height(), s.width());
  }

  private static dnnl_memory_desc_t topDesc(PoolingShape s, int layout, int images) {
    return Dnnl.desc(layout, images, s.channels(), s.pooledH(), s.pooledW());
  }

  private static long[] strides(PoolingShape s) {
    return new long[] {s.strideH(), s.strideW()};
  }

  private static long[] kernel(PoolingShape s) {
    return new long[] {s.kernelH(), s.kernelW()};
  }

  private static long[] padLeft(PoolingShape s) {
    return new long[] {s.padH(), s.padW()};
  }

  private static long[] padRight(PoolingShape s) {
    return new long[] {endPad(s.pooledH(), s.strideH(), s.kernelH(), s.height(), s.padH()),
        endPad(s.pooledW(), s.strideW(), s.kernelW(), s.width(), s.padW())};
  }

  /** The implementation the forward runs, as oneDNN's verbose log names it. */
  String implementation() {
    return part[0].forward.implementation();
  }

  /** One batch part's primitives, its workspace (MAX) and its bottom and top in the kernels' layout. */
  private final class Part {
    private final int images;
    private final Dnnl.Primitive forward;
    /** The argmax of the last forward, for the MAX backward; null for AVE. */
    private final BytePointer workspace;
    /** The bottom data, then in the backward its diff. */
    private final BlockedTensor bottom;
    /** The top data, then in the backward its diff. */
    private final BlockedTensor top;
    private Dnnl.Primitive backward;
    /** Slots: 0 bottom data, 1 top data, 2 top diff, 3 bottom diff. */
    private final Cursors cursors = new Cursors(4);

    Part(int images) {
      this.images = images;
      boolean max = algorithm == dnnl_pooling_max;
      forward = max
          ? new Dnnl.Primitive(forwardOp(shape, algorithm, layout, images), null, DNNL_ARG_SRC, DNNL_ARG_DST,
              DNNL_ARG_WORKSPACE)
          : new Dnnl.Primitive(forwardOp(shape, algorithm, layout, images), null, DNNL_ARG_SRC, DNNL_ARG_DST);
      if (max) {
        dnnl_memory_desc_t ws = dnnl_primitive_desc_query_md(forward.desc(), dnnl_query_workspace_md, 0);
        workspace = new BytePointer(Math.max(1, dnnl_memory_desc_get_size(ws)));
      } else {
        workspace = null;
      }
      bottom = new BlockedTensor(bottomDesc(shape, dnnl_nchw, images), bottomDesc(shape, layout, images));
      top = new BlockedTensor(topDesc(shape, dnnl_nchw, images), topDesc(shape, layout, images));
    }

    Dnnl.Primitive backward() {
      if (backward == null) {
        dnnl_pooling_v2_desc_t op = new dnnl_pooling_v2_desc_t();
        Dnnl.check(dnnl_pooling_v2_backward_desc_init(op, algorithm, bottomDesc(shape, layout, images),
            topDesc(shape, layout, images), strides(shape), kernel(shape), new long[2], padLeft(shape),
            padRight(shape)), "describe a pooling's backward " + shape);
        backward = workspace != null
            ? new Dnnl.Primitive(op, forward.desc(), DNNL_ARG_DIFF_DST, DNNL_ARG_WORKSPACE, DNNL_ARG_DIFF_SRC)
            : new Dnnl.Primitive(op, forward.desc(), DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC);
      }
      return backward;
    }

    void forward(FloatCursor in, FloatCursor out, long inAt, long outAt) {
      Pointer src = bottom.read(in.addressAt(inAt));
      Pointer dst = top.target(out.addressAt(outAt));
      if (workspace != null) {
        forward.run(src, dst, workspace);
      } else {
        forward.run(src, dst);
      }
      top.written(out.addressAt(outAt));
    }

    void backward(FloatCursor topDiff, FloatCursor bottomDiff, long inAt, long outAt) {
      Pointer diffDst = top.read(topDiff.addressAt(outAt));
      Pointer diffSrc = bottom.target(bottomDiff.addressAt(inAt));
      if (workspace != null) {
        backward().run(diffDst, workspace, diffSrc);
      } else {
        backward().run(diffDst, diffSrc);
      }
      bottom.written(bottomDiff.addressAt(inAt));
    }
  }

  void forward(Blob bottom, Blob top) {
    eachPart(bottom, top, (p, c, inAt, outAt) -> p.forward(c.on(0, bottom.data()), c.on(1, top.data()), inAt, outAt));
  }

  /** Overwrites the bottom diff with the gradient of the last forward. */
  void backward(Blob top, Blob bottom) {
    eachPart(bottom, top, (p, c, inAt, outAt) -> p.backward(c.on(2, top.diff()), c.on(3, bottom.diff()), inAt,
        outAt));
  }

  private interface PartRun {
    void run(Part part, Cursors cursors, long bottomAt, long topAt);
  }

  /** Runs every part on the cores, with where its images start in the bottom and the top. */
  private void eachPart(Blob bottom, Blob top, PartRun body) {
    long inImage = bottom.count(1);
    long outImage = top.count(1);
    Parallel.forRange(parts, (worker, from, to) -> {
      for (int p = from; p < to; p++) {
        body.run(part[p], part[p].cursors, first[p] * inImage, first[p] * outImage);
      }
    });
  }
}
