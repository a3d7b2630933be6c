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
 * ({@link Dnnl}). The blobs stay in Caffe's plain layouts, where oneDNN 2.5 runs im2col + gemm.
 * Two kinds of layer leave their layouts to oneDNN instead, which then picks its direct kernel on
 * channel blocks (nChw16c on AVX-512, nChw8c on AVX2), each pass reordering its inputs into the
 * kernel's layouts and its output back ({@link BlockedPass}):
 * <ul>
 *   <li>a first layer (at most {@link #FEW_CHANNELS} input channels, grey or RGB images), whose
 *       gemm products are only channels * kh * kw deep (25 for LeNet): LeNet's conv1 weight
 *       gradient measured 0.90-1.00 ms on gemm and 0.48-0.53 ms direct (jars alternated);
 *   <li>a layer whose kernel is larger than 1x1 and whose channels and outputs per group come in
 *       whole blocks of 16: CaffeNet's conv2, conv4 and conv5 and GoogLeNet's 3x3 and 5x5
 *       layers measured 10-60 % faster direct, reorders included. A 1x1 layer's gemm needs no
 *       im2col and stays (GoogLeNet's measured 12.4 ms in all on gemm, 14.1 ms direct), as do
 *       layers with channels in part-blocks (LeNet's conv2, 20 channels: its three passes 5.0 ms
 *       direct against 4.1 ms on gemm).
 * </ul>
 *
 * <p>The batch runs as {@link BatchParts#PARTS} fixed parts on the cores, each with its own
 * primitives; oneDNN's weight and bias gradients overwrite, so each part's land in its own
 * scratch and are added to the diffs in part order: results do not depend on the core count.
 */
final class DnnlConvolution implements ConvolutionEngine {
  /** Up to this many input channels (ungrouped) a convolution runs on the direct kernel. */
  private static final int FEW_CHANNELS = 4;
  /** The channel block of AVX-512's direct kernels (AVX2's 8 divides it). */
  private static final int BLOCK = 16;

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

  /** The three passes of one batch part; the backward ones are made on first use. */
  private final class Part {
    /** Caffe's layouts of the tensors: the blobs' memory. */
    private final dnnl_memory_desc_t src;
    private final dnnl_memory_desc_t weights;
    private final dnnl_memory_desc_t bias;
    private final dnnl_memory_desc_t dst;
    /** The layouts the primitives are described with: the plain ones, or left to oneDNN for its direct kernel. */
    private final dnnl_memory_desc_t kernelSrc;
    private final dnnl_memory_desc_t kernelWeights;
    private final dnnl_memory_desc_t kernelDst;
    private final long[] strides;
    private final long[] dilates;
    private final long[] pad;
    private final BlockedPass forward;
    private BlockedPass backwardData;
    private BlockedPass backwardWeights;
    /** Slots: 0 bottom data, 1 weights, 2 bias, 3 top data, 4 top diff, 5 weight and 6 bias gradients, 7 bottom diff. */
    private final Cursors cursors = new Cursors(8);

    Part(int images) {
      int g = shape.group();
      int[] in = shape.inSpatial();
      int[] out = shape.outSpatial();
      int[] k = shape.kernel();
      long[] srcDims = {images, shape.channels(), in[0], in[1]};
      long[] weightDims = {g, shape.numOutput() / g, shape.channels() / g, k[0], k[1]};
      long[] dstDims = {images, shape.numOutput(), out[0], out[1]};
      src = Dnnl.desc(dnnl_nchw, srcDims);
      weights = Dnnl.desc(dnnl_goihw, weightDims);
      bias = biasBlob == null ? null : Dnnl.desc(dnnl_x, shape.numOutput());
      dst = Dnnl.desc(dnnl_nchw, dstDims);
      boolean direct = g == 1 && shape.channels() <= FEW_CHANNELS
          || k[0] * k[1] > 1 && (shape.channels() / g) % BLOCK == 0 && (shape.numOutput() / g) % BLOCK == 0;
      kernelSrc = direct ? Dnnl.anyLayout(srcDims) : src;
      kernelWeights = direct ? Dnnl.anyLayout(weightDims) : weights;
      kernelDst = direct ? Dnnl.anyLayout(dstDims) : dst;
      strides = new long[] {shape.stride()[0], shape.stride()[1]};
      // oneDNN counts dilation from 0 (Caffe from 1); Caffe's pad is on both sides
      dilates = new long[] {shape.dilation()[0] - 1, shape.dilation()[1] - 1};
      pad = new long[] {shape.pad()[0], shape.pad()[1]};
      // made at set-up: a shape oneDNN has no kernel for fails there, naming the layer
      dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
      Dnnl.check(dnnl_dilated_convolution_forward_desc_init(op, dnnl_forward_training, dnnl_convolution_direct, kernelSrc,
          kernelWeights, bias, kernelDst, strides, dilates, pad, pad), "describe a convolution " + shape);
      forward = biasBlob == null
          ? new BlockedPass(op, null, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
              new dnnl_memory_desc_t[] {src, weights, dst}, DNNL_ARG_DST)
          : new BlockedPass(op, null, new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
              new dnnl_memory_desc_t[] {src, weights, bias, dst}, DNNL_ARG_DST);
    }

    BlockedPass backwardData() {
      if (backwardData == null) {
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_dilated_convolution_backward_data_desc_init(op, dnnl_convolution_direct, kernelSrc, kernelWeights,
            kernelDst, strides, dilates, pad, pad), "describe a convolution's backward " + shape);
        backwardData = new BlockedPass(op, forward.desc(), new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS,
            DNNL_ARG_DIFF_SRC}, new dnnl_memory_desc_t[] {dst, weights, src}, DNNL_ARG_DIFF_SRC);
      }
      return backwardData;
    }

    BlockedPass backwardWeights() {
      if (backwardWeights == null) {
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        Dnnl.check(dnnl_dilated_convolution_backward_weights_desc_init(op, dnnl_convolution_direct, kernelSrc,
            kernelWeights, bias, kernelDst, strides, dilates, pad, pad), "describe a convolution's weight gradient " + shape);
        backwardWeights = biasBlob == null
            ? new BlockedPass(op, forward.desc(), new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                new dnnl_memory_desc_t[] {src, dst, weights}, DNNL_ARG_DIFF_WEIGHTS)
            : new BlockedPass(op, forward.desc(), new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS,
                DNNL_ARG_DIFF_BIAS}, new dnnl_memory_desc_t[] {src, dst, weights, bias}, DNNL_ARG_DIFF_WEIGHTS,
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
        if (biasBlob == null) {
          part[p].forward.run(in, w, out);
        } else {
          part[p].forward.run(in, w, c.on(2, biasBlob.data()).addressAt(0), out);
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
