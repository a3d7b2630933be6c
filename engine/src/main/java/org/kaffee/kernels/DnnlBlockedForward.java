package org.kaffee.kernels;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_dilated_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * A convolution forward over few input channels (a net's first layer, on grey or RGB images)
 * through oneDNN's direct kernel, which writes its output channels in blocks and reads its
 * weights blocked. On Caffe's plain layouts oneDNN only has its im2col + gemm kernel, whose
 * products are just channels * kh * kw rows deep (25 for LeNet, 147 for GoogLeNet), too few to
 * keep the vector units busy. Each pass copies the weights into the kernel's layout (they change
 * every training iteration, and are a few thousand values) and the top back into nchw.
 */
final class DnnlBlockedForward {
  /** Up to this many input channels the direct kernel is tried. */
  private static final int MAX_CHANNELS = 4;
  /**
   * Output channels in whole blocks of 16 (AVX-512's; AVX2's 8 divide them): LeNet's 20 fill two
   * blocks with 12 wasted, and measured no gain (0.32 ms + 0.20 ms of reorder per half batch
   * against 0.51 ms of gemm).
   */
  private static final int BLOCK = 16;

  private final Dnnl.Primitive weightsIn;
  private final Dnnl.Primitive convolution;
  private final Dnnl.Primitive topOut;
  private final BytePointer blockedWeights;
  private final BytePointer blockedTop;
  private final boolean hasBias;

  private DnnlBlockedForward(Dnnl.Primitive convolution, dnnl_memory_desc_t weights, dnnl_memory_desc_t dst,
      boolean hasBias) {
    this.convolution = convolution;
    this.hasBias = hasBias;
    dnnl_memory_desc_t kernelWeights = convolution.layoutOf(DNNL_ARG_WEIGHTS);
    dnnl_memory_desc_t kernelDst = convolution.layoutOf(DNNL_ARG_DST);
    weightsIn = Dnnl.Primitive.reorder(weights, kernelWeights);
    topOut = Dnnl.Primitive.reorder(kernelDst, dst);
    blockedWeights = new BytePointer(Dnnl.bytes(kernelWeights));
    blockedTop = new BytePointer(Dnnl.bytes(kernelDst));
  }

  /** Whether a convolution is a first layer the direct kernel serves better than the gemm one. */
  static boolean suits(ConvolutionShape shape) {
    return shape.group() == 1 && shape.channels() <= MAX_CHANNELS && shape.numOutput() % BLOCK == 0;
  }

  /**
   * The blocked forward of a convolution between the plain descriptors given, or null when
   * oneDNN's choice for free layouts is the plain one anyway (nothing to gain).
   */
  static DnnlBlockedForward of(dnnl_memory_desc_t src, dnnl_memory_desc_t weights, dnnl_memory_desc_t bias,
      dnnl_memory_desc_t dst, long[] strides, long[] dilates, long[] pad) {
    dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
    Dnnl.check(dnnl_dilated_convolution_forward_desc_init(op, dnnl_forward_training, dnnl_convolution_direct, src,
        Dnnl.anyLayout(dims(weights)), bias, Dnnl.anyLayout(dims(dst)), strides, dilates, pad, pad),
        "describe a first-layer convolution");
    Dnnl.Primitive convolution = bias == null
        ? new Dnnl.Primitive(op, null, DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST)
        : new Dnnl.Primitive(op, null, DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST);
    if (Dnnl.sameLayout(convolution.layoutOf(DNNL_ARG_DST), dst)
        && Dnnl.sameLayout(convolution.layoutOf(DNNL_ARG_WEIGHTS), weights)) {
      return null;
    }
    return new DnnlBlockedForward(convolution, weights, dst, bias != null);
  }

  private static long[] dims(dnnl_memory_desc_t d) {
    long[] dims = new long[d.ndims()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = d.dims().get(i);
    }
    return dims;
  }

  /** top = conv(bottom; weights, bias) at these addresses, all in Caffe's layouts; bias null without one. */
  void run(Pointer bottom, Pointer weights, Pointer bias, Pointer top) {
    weightsIn.run(weights, blockedWeights);
    if (hasBias) {
      convolution.run(bottom, blockedWeights, bias, blockedTop);
    } else {
      convolution.run(bottom, blockedWeights, blockedTop);
    }
    topOut.run(blockedTop, top);
  }
}
