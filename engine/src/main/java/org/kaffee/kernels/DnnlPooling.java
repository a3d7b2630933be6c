package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_v2_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_v2_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_v2_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.kaffee.core.Blob;

/**
 * float32 MAX pooling through oneDNN primitives kept between calls ({@link Dnnl}), on the blobs'
 * own nchw memory. Caffe's ceil rounding becomes extra padding on the bottom and right: oneDNN
 * leaves padding out of a maximum as Caffe clips its windows, and no window lies wholly in the
 * padding (Caffe drops such a last window). The forward keeps where each maximum came from in a
 * workspace that the backward reads. The batch runs as {@link BatchParts#PARTS} fixed parts on
 * the cores; parts share no output, so results do not depend on the core count.
 */
final class DnnlPooling {
  private final PoolingShape shape;
  private final int parts;
  /** Images {@code [first[p], first[p + 1])} are part p's. */
  private final long[] first;
  private final Part[] part;

  DnnlPooling(PoolingShape shape) {
    this.shape = shape;
    parts = BatchParts.count(shape.num());
    first = BatchParts.bounds(shape.num(), parts);
    part = new Part[parts];
    for (int p = 0; p < parts; p++) {
      part[p] = new Part((int) (first[p + 1] - first[p]));
    }
  }

  /** One batch part's primitives and the workspace they share. */
  private final class Part {
    private final dnnl_memory_desc_t src;
    private final dnnl_memory_desc_t dst;
    private final long[] strides = {shape.strideH(), shape.strideW()};
    private final long[] kernel = {shape.kernelH(), shape.kernelW()};
    private final long[] dilation = {0, 0};
    private final long[] padLeft = {shape.padH(), shape.padW()};
    private final long[] padRight;
    private final Dnnl.Primitive forward;
    private final BytePointer workspace;
    private Dnnl.Primitive backward;
    /** Slots: 0 bottom data, 1 top data, 2 top diff, 3 bottom diff. */
    private final Cursors cursors = new Cursors(4);

    Part(int images) {
      src = Dnnl.desc(dnnl_nchw, images, shape.channels(), shape.height(), shape.width());
      dst = Dnnl.desc(dnnl_nchw, images, shape.channels(), shape.pooledH(), shape.pooledW());
      // what the last window reaches past the image and the left pad (Caffe's ceil rounding)
      padRight = new long[] {
          (long) (shape.pooledH() - 1) * shape.strideH() + shape.kernelH() - shape.height() - shape.padH(),
          (long) (shape.pooledW() - 1) * shape.strideW() + shape.kernelW() - shape.width() - shape.padW()};
      dnnl_pooling_v2_desc_t op = new dnnl_pooling_v2_desc_t();
      Dnnl.check(dnnl_pooling_v2_forward_desc_init(op, dnnl_forward_training, dnnl_pooling_max, src, dst, strides,
          kernel, dilation, padLeft, padRight), "describe a pooling " + shape);
      forward = new Dnnl.Primitive(op, null, DNNL_ARG_SRC, DNNL_ARG_DST, DNNL_ARG_WORKSPACE);
      dnnl_memory_desc_t ws = dnnl_primitive_desc_query_md(forward.desc(), dnnl_query_workspace_md, 0);
      workspace = new BytePointer(Math.max(1, dnnl_memory_desc_get_size(ws)));
    }

    Dnnl.Primitive backward() {
      if (backward == null) {
        dnnl_pooling_v2_desc_t op = new dnnl_pooling_v2_desc_t();
        Dnnl.check(dnnl_pooling_v2_backward_desc_init(op, dnnl_pooling_max, src, dst, strides, kernel, dilation,
            padLeft, padRight), "describe a pooling's backward " + shape);
        backward = new Dnnl.Primitive(op, forward.desc(), DNNL_ARG_DIFF_DST, DNNL_ARG_WORKSPACE, DNNL_ARG_DIFF_SRC);
      }
      return backward;
    }
  }

  void forward(Blob bottom, Blob top) {
    eachPart(bottom, top, (p, c, inAt, outAt) -> p.forward.run(c.on(0, bottom.data()).addressAt(inAt),
        c.on(1, top.data()).addressAt(outAt), p.workspace));
  }

  /** Overwrites the bottom diff with the gradient of the last forward's maxima. */
  void backward(Blob top, Blob bottom) {
    eachPart(bottom, top, (p, c, inAt, outAt) -> p.backward().run(c.on(2, top.diff()).addressAt(outAt),
        p.workspace, c.on(3, bottom.diff()).addressAt(inAt)));
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
