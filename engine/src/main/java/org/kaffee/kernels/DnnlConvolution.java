package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_goihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_x;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.Pointer;
import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A float32 2-D convolution (groups, dilation) through oneDNN primitives kept between calls
 * ({@link Dnnl}), on Caffe's plain layouts: the blobs' memory is the primitives' memory, nothing
 * is reordered or copied.
 *
 * <p>The batch runs as {@link BatchParts#PARTS} fixed parts on the cores, each with its own
 * primitives; oneDNN's weight and bias gradients overwrite, so each part's land in its own
 * scratch and are added to the diffs in part order: results do not depend on the core count.
 */
final class DnnlConvolution implements ConvolutionEngine {
  private final Blob weightBlob;
  private final Blob biasBlob;
  private final ConvolutionShape shape;
  private final int parts;
  /** Images {@code [first[p], first[p + 1])} are part p's. */
  private final long[] first;
  private final Part[] part;
  private final INDArray[] weightGrads;
  private final INDArray[] biasGrads;

  DnnlConvolution(ConvolutionShape shape, Blob weights, Blob bias) {
    this.shape = shape;
    this.weightBlob = weights;
    this.biasBlob = bias;
    parts = BatchParts.count(shape.num());
    first = BatchParts.bounds(shape.num(), parts);
    part = new Part[parts];
    weightGrads = new INDArray[parts];
    biasGrads = new INDArray[parts];
    for (int p = 0; p < parts; p++) {
      part[p] = new Part((int) (first[p + 1] - first[p]));
      weightGrads[p] = Nd4j.create(DataType.FLOAT, weights.data().shape());
      biasGrads[p] = bias == null ? null : Nd4j.create(DataType.FLOAT, bias.data().shape());
    }
  }

  /** The three primitives of one batch part; the backward ones are made on first use. */
  private final class Part {
    private final dnnl_memory_desc_t src;
    private final dnnl_memory_desc_t weights;
    private final dnnl_memory_desc_t bias;
    private final dnnl_memory_desc_t dst;
    private final long[] strides;
    private final long[] dilates;
    private final long[] pad;
    private final dnnl_convolution_desc_t forwardOp = new dnnl_convolution_desc_t();
    /** The forward on Caffe's layouts: runs the pass unless {@link #blocked} does, and guides the backward ones. */
    private Dnnl.Primitive forward;
    /** The forward through blocked layouts, for a first layer; null for the others. */
    private final DnnlBlockedForward blocked;
    private Dnnl.Primitive backwardData;
    private Dnnl.Primitive backwardWeights;
    /** Slots: 0 bottom data, 1 weights, 2 bias, 3 top data, 4 top diff, 5 weight and 6 bias gradients, 7 bottom diff. */
    private final Cursors cursors = new Cursors(8);

    Part(int images) {
      int g = shape.group();
      int[] in = shape.inSpatial();
      int[] out = shape.outSpatial();
      int[] k = shape.kernel();
      src = Dnnl.desc(dnnl_nchw, images, shape.channels(), in[0], in[1]);
      weights = Dnnl.desc(dnnl_goihw, g, shape.numOutput() / g, shape.channels() / g, k[0], k[1]);
      bias = biasBlob == null ? null : Dnnl.desc(dnnl_x, shape.numOutput());
      dst = Dnnl.desc(dnnl_nchw, images, shape.numOutput(), out[0], out[1]);
      strides = new long[] {shape.stride()[0], shape.stride()[1]};
      // oneDNN counts dilation from 0 (Caffe from 1); Caffe's pad is on both sides
      dilates = new long[] {shape.dilation()[0] - 1, shape.dilation()[1] - 1};
      pad = new long[] {shape.pad()[0], shape.pad()[1]};
      Dnnl.check(dnnl_dilated_convolution_forward_desc_init(forwardOp, dnnl_forward_training, dnnl_convolution_direct, src,
          weights, bias, dst, strides, dilates, pad, pad), "describe a convolution " + shape);
      blocked = DnnlBlockedForward.suits(shape) ? DnnlBlockedForward.of(src, weights, bias, dst, strides, dilates, pad)
          : null;
      if (blocked == null) {
        forward();  // made at set-up, as before: a shape oneDNN has no kernel for fails there, naming the layer
      }
    }

    Dnnl.Primitive forward() {
      if (forward == null) {
        forward = biasBlob == null ? new Dnnl.Primitive(forwardOp, null, DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST)
            : new Dnnl.Primitive(forwardOp, null, DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST);
      }
      return forward;
    }

    Dnnl.Primitive backwardData() {
      if (backwardData == null) {
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_dilated_convolution_backward_data_desc_init(op, dnnl_convolution_direct, src, weights, dst,
            strides, dilates, pad, pad), "describe a convolution's backward " + shape);
        backwardData = new Dnnl.Primitive(op, forward().desc(), DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC);
      }
      return backwardData;
    }

    Dnnl.Primitive backwardWeights() {
      if (backwardWeights == null) {
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_dilated_convolution_backward_weights_desc_init(op, dnnl_convolution_direct, src, weights,
            bias, dst, strides, dilates, pad, pad), "describe a convolution's weight gradient " + shape);
        backwardWeights = biasBlob == null
            ? new Dnnl.Primitive(op, forward().desc(), DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS)
            : new Dnnl.Primitive(op, forward().desc(), DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS,
                DNNL_ARG_DIFF_BIAS);
      }
      return backwardWeights;
    }
  }

  @Override
  public void forward(Blob bottom, Blob top) {
    long inImage = bottom.count(1);
    long outImage = top.count(1);
    Parallel.forRange(parts, (worker, from, to) -> {
      for (int p = from; p < to; p++) {
        Cursors c = part[p].cursors;
        Pointer in = c.on(0, bottom.data()).addressAt(first[p] * inImage);
        Pointer w = c.on(1, weightBlob.data()).addressAt(0);
        Pointer out = c.on(3, top.data()).addressAt(first[p] * outImage);
        Pointer b = biasBlob == null ? null : c.on(2, biasBlob.data()).addressAt(0);
        if (part[p].blocked != null) {
          part[p].blocked.run(in, w, b, out);
        } else if (b == null) {
          part[p].forward().run(in, w, out);
        } else {
          part[p].forward().run(in, w, b, out);
        }
      }
    });
  }

  @Override
  public void backward(Blob top, Blob bottom, Wanted wanted) {
    long inImage = bottom.count(1);
    long outImage = top.count(1);
    boolean params = wanted.weights() || wanted.bias();
    Parallel.forRange(parts, (worker, from, to) -> {
      for (int p = from; p < to; p++) {
        Cursors c = part[p].cursors;
        Pointer dy = c.on(4, top.diff()).addressAt(first[p] * outImage);
        if (params) {
          Pointer in = c.on(0, bottom.data()).addressAt(first[p] * inImage);
          Pointer dw = c.on(5, weightGrads[p]).addressAt(0);
          if (biasBlob == null) {
            part[p].backwardWeights().run(in, dy, dw);
          } else {
            part[p].backwardWeights().run(in, dy, dw, c.on(6, biasGrads[p]).addressAt(0));
          }
        }
        if (wanted.bottom()) {
          part[p].backwardData().run(dy, c.on(1, weightBlob.data()).addressAt(0),
              c.on(7, bottom.diff()).addressAt(first[p] * inImage));
        }
      }
    });
    if (wanted.weights()) {
      addParts(weightGrads, weightBlob.diff());
    }
    if (wanted.bias()) {
      addParts(biasGrads, biasBlob.diff());
    }
  }

  /** diff += each part's gradient, part after part (a loop: ND4J's addi costs more to set up). */
  private void addParts(INDArray[] grads, INDArray diff) {
    FloatBuffer sums = diff.data().asNioFloat();
    int n = (int) diff.length();
    for (INDArray grad : grads) {
      FloatBuffer g = grad.data().asNioFloat();
      for (int i = 0; i < n; i++) {
        sums.put(i, sums.get(i) + g.get(i));
      }
    }
  }
}
