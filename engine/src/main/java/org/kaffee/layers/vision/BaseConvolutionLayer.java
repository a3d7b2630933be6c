package org.kaffee.layers.vision;

import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.kernels.ConvolutionEngine;
import org.kaffee.kernels.ConvolutionShape;
import org.kaffee.kernels.ConvolutionStrategy;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's BaseConvolutionLayer: the parameters and shapes shared by Convolution and
 * Deconvolution. The weights are {@code [convOut, convIn / group, kernel...]}, where the "conv
 * input" is the bottom for a convolution and the top for a deconvolution. The arithmetic is a
 * {@link ConvolutionEngine} of the strategy chosen for the shape at each reshape.
 */
abstract class BaseConvolutionLayer extends Layer {
  protected int channelAxis;
  protected int numSpatial;
  protected int[] kernel;
  protected int[] stride;
  protected int[] pad;
  protected int[] dilation;
  private int group;
  private int numOutput;
  private boolean biasTerm;
  private int channels;
  /** The strategy a caller asked for; null: the one {@link ConvolutionStrategy#choose} picks. */
  private ConvolutionStrategy requested;
  private ConvolutionStrategy strategy;
  private ConvolutionShape shape;
  private ConvolutionEngine engine;

  protected BaseConvolutionLayer(LayerParameter param) {
    super(param, BlobCounts.ranges(1, BlobCounts.MANY, 1, BlobCounts.MANY).withTopPerBottom());
  }

  /** True for deconvolution: the roles of the conv input and output are swapped. */
  protected abstract boolean reverseDimensions();

  /** The spatial output shape of this layer for the given bottom spatial shape. */
  protected abstract int[] computeOutputShape(int[] bottomSpatial);

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ConvolutionParameter p = param.getConvolutionParam();
    Blob b0 = bottom.get(0);
    channelAxis = b0.canonicalAxisIndex(p.getAxis());
    numSpatial = b0.numAxes() - channelAxis - 1;
    check(numSpatial >= 1, "needs at least one spatial axis after axis %d, bottom is %s",
        channelAxis, b0.shapeString());
    kernel = new int[numSpatial];
    if (p.hasKernelH() || p.hasKernelW()) {
      check(numSpatial == 2, "kernel_h & kernel_w can only be used for 2D convolution");
      check(p.getKernelSizeCount() == 0, "either kernel_size or kernel_h/w should be specified; not both");
      check(p.hasKernelH() && p.hasKernelW(), "kernel_h and kernel_w must both be given");
      kernel[0] = p.getKernelH();
      kernel[1] = p.getKernelW();
    } else {
      int n = p.getKernelSizeCount();
      check(n == 1 || n == numSpatial,
          "kernel_size must be specified once, or once per spatial dimension (got %d for %d axes)",
          n, numSpatial);
      for (int i = 0; i < numSpatial; i++) {
        kernel[i] = p.getKernelSize(n == 1 ? 0 : i);
      }
    }
    for (int k : kernel) {
      check(k > 0, "filter dimensions must be nonzero");
    }
    SpatialValues values = new SpatialValues(numSpatial, this::check);
    stride = values.stride(p);
    pad = values.pad(p);
    dilation = values.dilation(p);
    for (int s : stride) {
      check(s > 0, "stride dimensions must be nonzero");
    }
    channels = b0.shape(channelAxis);
    numOutput = p.getNumOutput();
    check(numOutput > 0, "num_output must be positive");
    group = group(p, channels);
    check(group > 0, "group must be positive");
    check(channels % group == 0, "number of input channels %d must be divisible by group %d",
        channels, group);
    check(numOutput % group == 0, "num_output %d must be divisible by group %d", numOutput, group);
    int convIn = reverseDimensions() ? numOutput : channels;
    int convOut = reverseDimensions() ? channels : numOutput;
    biasTerm = p.getBiasTerm();
    int[] wShape = new int[numSpatial + 2];
    wShape[0] = convOut;
    wShape[1] = convIn / group;
    System.arraycopy(kernel, 0, wShape, 2, numSpatial);
    Blob weights = newBlob(wShape);
    Filler.fill(p.getWeightFiller(), weights);
    blobs.add(weights);
    if (biasTerm) {
      Blob bias = newBlob(numOutput);
      Filler.fill(p.getBiasFiller(), bias);
      blobs.add(bias);
    }
    for (int i = 0; i < blobs.size(); i++) {
      setParamPropagateDown(i, true);
    }
  }

  /** The number of channel groups; the depthwise types derive it from the channels. */
  protected int group(ConvolutionParameter p, int channels) {
    return p.getGroup();
  }

  /** Computes with {@code s} from the next reshape on, instead of the chosen strategy. */
  void useStrategy(ConvolutionStrategy s) {
    requested = s;
    shape = null;
  }

  /** The strategy of the current engine. */
  ConvolutionStrategy strategy() {
    return strategy;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b0 = bottom.get(0);
    check(b0.numAxes() == channelAxis + numSpatial + 1,
        "bottom num_axes may not change (was %d, now %s)", channelAxis + numSpatial + 1, b0.shapeString());
    check(b0.shape(channelAxis) == channels, "input size incompatible with convolution kernel: "
        + "%d channels expected, bottom is %s", channels, b0.shapeString());
    int[] bottomSpatial = Arrays.copyOfRange(b0.shape(), channelAxis + 1, b0.numAxes());
    int[] topSpatial = computeOutputShape(bottomSpatial);
    for (int i = 0; i < numSpatial; i++) {
      check(topSpatial[i] > 0, "output size %d along spatial axis %d is not positive (bottom %s)",
          topSpatial[i], i, b0.shapeString());
    }
    int[] topShape = b0.shape().clone();
    topShape[channelAxis] = numOutput;
    System.arraycopy(topSpatial, 0, topShape, channelAxis + 1, numSpatial);
    for (int i = 0; i < bottom.size(); i++) {
      check(Arrays.equals(bottom.get(i).shape(), b0.shape()),
          "all inputs must have the same shape (%s vs %s)", bottom.get(i).shapeString(), b0.shapeString());
      top.get(i).reshape(topShape);
    }
    boolean t = reverseDimensions();
    ConvolutionShape now = new ConvolutionShape(t, channelAxis, b0.count(0, channelAxis), channels, numOutput,
        group, kernel, stride, pad, dilation, t ? topSpatial : bottomSpatial, t ? bottomSpatial : topSpatial,
        biasTerm);
    if (!now.equals(shape) || engine == null) {
      // Reshape runs before every forward: a new engine (and its scratch) only when the shape changes.
      shape = now;
      strategy = requested != null ? requested : ConvolutionStrategy.choose(shape, b0.dataType());
      engine = strategy.create(shape, blobs.get(0), biasTerm ? blobs.get(1) : null);
    }
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < bottom.size(); i++) {
      engine.forward(bottom.get(i), top.get(i));
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (int i = 0; i < top.size(); i++) {
      engine.backward(top.get(i), bottom.get(i), new ConvolutionEngine.Wanted(paramPropagateDown(0),
          biasTerm && paramPropagateDown(1), propagateDown[i]));
    }
  }
}
