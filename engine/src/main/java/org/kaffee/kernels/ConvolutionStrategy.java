package org.kaffee.kernels;

import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;

/** The named ways of computing a convolution; a layer picks one per shape with {@link #choose}. */
public enum ConvolutionStrategy {
  /** Caffe's im2col + gemm per image and group: every shape and precision; the reference. */
  IM2COL_GEMM {
    @Override
    public boolean supports(ConvolutionShape shape, DataType type) {
      return true;
    }

    @Override
    ConvolutionEngine engine(ConvolutionShape shape, Blob weights, Blob bias) {
      return new GemmConvolution(shape, weights, bias);
    }
  },
  /** ND4J's whole-batch conv2d / deconv2d ops (oneDNN): 2-D float32 layers without dilation. */
  ONEDNN {
    @Override
    public boolean supports(ConvolutionShape shape, DataType type) {
      // oneDNN rejects some dilated configurations ("could not create a descriptor").
      return type == DataType.FLOAT && shape.isPlainNchw2d();
    }

    @Override
    ConvolutionEngine engine(ConvolutionShape shape, Blob weights, Blob bias) {
      return new OneDnnConvolution(shape, weights, bias);
    }
  },
  /**
   * A direct loop per channel for depthwise convolutions (group == channels > 1): MobileNet's and
   * the forks' DepthwiseConvolution layers, in either precision.
   */
  DEPTHWISE {
    @Override
    public boolean supports(ConvolutionShape shape, DataType type) {
      return DepthwiseConvolution.fits(shape);
    }

    @Override
    ConvolutionEngine engine(ConvolutionShape shape, Blob weights, Blob bias) {
      return new DepthwiseConvolution(shape, weights, bias);
    }
  },
  /** oneDNN's primitives kept between calls, the batch in two parts on the cores: 2-D float32 convolutions. */
  DNNL {
    @Override
    public boolean supports(ConvolutionShape shape, DataType type) {
      return type == DataType.FLOAT && shape.numSpatial() == 2 && shape.channelAxis() == 1 && !shape.transposed();
    }

    @Override
    ConvolutionEngine engine(ConvolutionShape shape, Blob weights, Blob bias) {
      return new DnnlConvolution(shape, weights, bias);
    }
  };

  /** Whether this strategy computes layers of this shape and precision. */
  public abstract boolean supports(ConvolutionShape shape, DataType type);

  abstract ConvolutionEngine engine(ConvolutionShape shape, Blob weights, Blob bias);

  /**
   * An engine for {@code shape}, bound to the layer's weight blob and bias blob (null: no bias).
   *
   * @throws IllegalArgumentException if this strategy does not support the shape
   */
  public ConvolutionEngine create(ConvolutionShape shape, Blob weights, Blob bias) {
    if (!supports(shape, weights.dataType())) {
      throw new IllegalArgumentException(this + " does not compute " + shape + " in " + weights.dataType());
    }
    return engine(shape, weights, bias);
  }

  /**
   * The depthwise loop for depthwise layers (whose im2col columns are only kernel-size rows deep),
   * else the fastest supported strategy as measured on LeNet, CaffeNet and GoogLeNet: the kept oneDNN
   * primitives for 2-D float32 convolutions, ND4J's oneDNN ops for 2-D float32 deconvolutions,
   * else the reference.
   */
  public static ConvolutionStrategy choose(ConvolutionShape shape, DataType type) {
    if (DEPTHWISE.supports(shape, type)) {
      return DEPTHWISE;
    }
    if (DNNL.supports(shape, type)) {
      return DNNL;
    }
    return ONEDNN.supports(shape, type) ? ONEDNN : IM2COL_GEMM;
  }
}
