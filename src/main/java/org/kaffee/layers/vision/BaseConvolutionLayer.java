package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Filler;
import org.kaffee.core.Layer;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's BaseConvolutionLayer: the parameters, shapes and gemm building blocks shared by
 * Convolution and Deconvolution. The "conv input" is the bottom for a convolution and the
 * top for a deconvolution; the weights are {@code [convOut, convIn / group, kernel...]}.
 *
 * <p>Two paths: 2-D, single-group, float32 layers call ND4J's oneDNN conv2d/deconv2d ops
 * on the whole batch; everything else (groups, N-d, float64 for gradient checks) uses
 * im2col plus one gemm per image and group, as Caffe does.
 */
abstract class BaseConvolutionLayer extends Layer {
  /** Allows benchmarks to force the generic path. */
  static boolean allowFastPath = true;

  protected int channelAxis;
  protected int numSpatial;
  protected int[] kernel;
  protected int[] stride;
  protected int[] pad;
  protected int[] dilation;
  protected int group;
  protected int numOutput;
  protected boolean biasTerm;
  protected int channels;
  protected int convIn;
  protected int convOut;
  private boolean is1x1;

  protected int num;
  /** Spatial shape of the conv input (bottom for conv, top for deconv) and of its output. */
  protected int[] inSpatial;
  protected int[] outSpatial;
  private int inSpatialSize;
  private int outSpatialSize;
  private int kernelDim;
  private INDArray col;
  private INDArray biasSum;
  private INDArray weightGrad;
  private INDArray biasGrad;
  private INDArray bottomGradScratch;
  private boolean fast;
  private INDArray groupIn;
  /** Whole-batch im2col + matmul: param gradients without a bottom gradient, single-channel layers. */
  private BatchedGemmConvolution batched;
  /** Forward on the batched gemm path too (one input channel per group); see BatchedGemmConvolution. */
  private boolean batchedForward;
  /** The backward may reuse the columns the forward wrote (one bottom, batched forward). */
  private boolean reuseColumns;
  private INDArray groupInGrad;
  private INDArray groupOut;
  private INDArray groupOutGrad;
  private INDArray groupW;
  private INDArray groupWGrad;
  private INDArray groupB;
  private INDArray groupBGrad;

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
    stride = axisValues(p.hasStrideH() || p.hasStrideW(), p.getStrideH(), p.getStrideW(),
        p.getStrideList(), 1, "stride");
    pad = axisValues(p.hasPadH() || p.hasPadW(), p.getPadH(), p.getPadW(), p.getPadList(), 0, "pad");
    dilation = axisValues(false, 0, 0, p.getDilationList(), 1, "dilation");
    for (int s : stride) {
      check(s > 0, "stride dimensions must be nonzero");
    }
    is1x1 = true;
    for (int i = 0; i < numSpatial; i++) {
      is1x1 &= kernel[i] == 1 && stride[i] == 1 && pad[i] == 0;
    }
    channels = b0.shape(channelAxis);
    numOutput = p.getNumOutput();
    check(numOutput > 0, "num_output must be positive");
    group = p.getGroup();
    check(group > 0, "group must be positive");
    check(channels % group == 0, "number of input channels %d must be divisible by group %d",
        channels, group);
    check(numOutput % group == 0, "num_output %d must be divisible by group %d", numOutput, group);
    if (reverseDimensions()) {
      convOut = channels;
      convIn = numOutput;
    } else {
      convOut = numOutput;
      convIn = channels;
    }
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
    kernelDim = convIn / group;
    for (int k : kernel) {
      kernelDim *= k;
    }
  }

  private int[] axisValues(boolean hw, int h, int w, List<Integer> list, int dflt, String name) {
    int[] v = new int[numSpatial];
    if (hw) {
      check(numSpatial == 2, "%s_h & %s_w can only be used for 2D convolution", name, name);
      check(list.isEmpty(), "either %s or %s_h/w should be specified; not both", name, name);
      v[0] = h;
      v[1] = w;
      return v;
    }
    int n = list.size();
    check(n == 0 || n == 1 || n == numSpatial,
        "%s must be specified once, or once per spatial dimension (got %d for %d axes)",
        name, n, numSpatial);
    for (int i = 0; i < numSpatial; i++) {
      v[i] = n == 0 ? dflt : list.get(n == 1 ? 0 : i);
    }
    return v;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b0 = bottom.get(0);
    check(b0.numAxes() == channelAxis + numSpatial + 1,
        "bottom num_axes may not change (was %d, now %s)", channelAxis + numSpatial + 1, b0.shapeString());
    check(b0.shape(channelAxis) == channels, "input size incompatible with convolution kernel: "
        + "%d channels expected, bottom is %s", channels, b0.shapeString());
    num = b0.count(0, channelAxis);
    int[] bottomSpatial = new int[numSpatial];
    for (int i = 0; i < numSpatial; i++) {
      bottomSpatial[i] = b0.shape(channelAxis + 1 + i);
    }
    int[] topSpatial = computeOutputShape(bottomSpatial);
    for (int i = 0; i < numSpatial; i++) {
      check(topSpatial[i] > 0, "output size %d along spatial axis %d is not positive (bottom %s)",
          topSpatial[i], i, b0.shapeString());
    }
    int[] topShape = new int[b0.numAxes()];
    for (int i = 0; i < channelAxis; i++) {
      topShape[i] = b0.shape(i);
    }
    topShape[channelAxis] = numOutput;
    System.arraycopy(topSpatial, 0, topShape, channelAxis + 1, numSpatial);
    for (int i = 0; i < bottom.size(); i++) {
      check(java.util.Arrays.equals(bottom.get(i).shape(), b0.shape()),
          "all inputs must have the same shape (%s vs %s)", bottom.get(i).shapeString(), b0.shapeString());
      top.get(i).reshape(topShape);
    }
    inSpatial = reverseDimensions() ? topSpatial : bottomSpatial;
    outSpatial = reverseDimensions() ? bottomSpatial : topSpatial;
    inSpatialSize = 1;
    outSpatialSize = 1;
    for (int i = 0; i < numSpatial; i++) {
      inSpatialSize *= inSpatial[i];
      outSpatialSize *= outSpatial[i];
    }
    DataType dt = b0.dataType();
    // oneDNN rejects some dilated configurations ("could not create a descriptor"): dilated
    // layers take the generic path.
    fast = allowFastPath && dt == DataType.FLOAT && numSpatial == 2 && channelAxis == 1
        && dilation[0] == 1 && dilation[1] == 1;
    long colLen = (long) kernelDim * group * outSpatialSize;
    if (!fast && !is1x1 && (col == null || col.length() != colLen || col.dataType() != dt)) {
      col = Nd4j.create(dt, kernelDim * group, outSpatialSize);
    }
    if (biasTerm && (biasSum == null || biasSum.dataType() != dt)) {
      biasSum = Nd4j.create(dt, numOutput);
    }
    if (fast) {
      if (weightGrad == null || weightGrad.dataType() != dt) {
        weightGrad = Nd4j.create(dt, java.util.Arrays.stream(blobs.get(0).shape()).asLongStream().toArray());
        biasGrad = Nd4j.create(dt, numOutput);
      }
      if (bottomGradScratch == null || !java.util.Arrays.equals(bottomGradScratch.shape(),
          java.util.Arrays.stream(b0.shape()).asLongStream().toArray())) {
        bottomGradScratch = Nd4j.create(dt, java.util.Arrays.stream(b0.shape()).asLongStream().toArray());
      }
      batchedForward = group == 1 && !reverseDimensions() && convIn == 1;
      reuseColumns = batchedForward && bottom.size() == 1;
      if (group > 1) {
        int[] ts = top.get(0).shape();
        long[] inShape = {num, channels / group, b0.shape(2), b0.shape(3)};
        long[] outShape = {num, numOutput / group, ts[2], ts[3]};
        if (groupIn == null || !java.util.Arrays.equals(groupIn.shape(), inShape)
            || !java.util.Arrays.equals(groupOut.shape(), outShape)) {
          groupIn = Nd4j.create(dt, inShape);
          groupInGrad = Nd4j.create(dt, inShape);
          groupOut = Nd4j.create(dt, outShape);
          groupOutGrad = Nd4j.create(dt, outShape);
          long[] ws = java.util.Arrays.stream(blobs.get(0).shape()).asLongStream().toArray();
          ws[0] /= group;
          groupW = Nd4j.create(dt, ws);
          groupWGrad = Nd4j.create(dt, ws);
          groupB = Nd4j.create(dt, numOutput / group);
          groupBGrad = Nd4j.create(dt, numOutput / group);
        }
      }
    }
  }

  protected boolean fastPath() {
    return fast;
  }

  /** The whole-batch gemm path for the current shapes, created on first use: its columns are large. */
  private BatchedGemmConvolution batched() {
    if (batched == null || !batched.fits(num, channels, inSpatial[0], inSpatial[1])) {
      batched = new BatchedGemmConvolution(num, channels, inSpatial[0], inSpatial[1], kernel, pad, stride,
          dilation, outSpatial[0], outSpatial[1], numOutput, biasTerm);
    }
    return batched;
  }

  /**
   * Runs the generic (im2col + gemm) forward over the whole batch of one bottom/top pair,
   * without the bias. Convolution and deconvolution differ only in which gemm plays forward.
   */
  protected abstract void gemmForward(Blob bottom, Blob top);

  /** Generic backward of one bottom/top pair: weight gradient and/or bottom gradient, no bias. */
  protected abstract void gemmBackward(Blob top, boolean weightGrad, boolean bottomGrad, Blob bottom);

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    for (int i = 0; i < bottom.size(); i++) {
      Blob b = bottom.get(i);
      Blob t = top.get(i);
      if (fastPath()) {
        fastForward(reverseDimensions(), b, t);
        continue;
      }
      gemmForward(b, t);
      if (biasTerm) {
        addBias(t);
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    for (int i = 0; i < top.size(); i++) {
      Blob b = bottom.get(i);
      Blob t = top.get(i);
      if (fastPath()) {
        fastBackward(reverseDimensions(), t, propagateDown[i], b);
        continue;
      }
      if (biasTerm && paramPropagateDown(1)) {
        backwardBias(t);
      }
      if (paramPropagateDown(0) || propagateDown[i]) {
        gemmBackward(t, paramPropagateDown(0), propagateDown[i], b);
      }
    }
  }

  // ---- oneDNN whole-batch ops (2-D, group 1, float32) -------------------------

  private int[] convArgs() {
    return new int[] {kernel[0], kernel[1], stride[0], stride[1], pad[0], pad[1],
        dilation[0], dilation[1], 0, 0, 1};
  }

  /** conv2d: out = conv(in, W) (+ bias). */
  protected void conv2dOp(INDArray in, INDArray w, INDArray bias, INDArray out) {
    DynamicCustomOp.DynamicCustomOpsBuilder b = DynamicCustomOp.builder("conv2d")
        .addInputs(bias == null ? new INDArray[] {in, w} : new INDArray[] {in, w, bias})
        .addOutputs(out).addIntegerArguments(convArgs());
    Nd4j.exec(b.build());
  }

  /** conv2d_bp: gradients of conv2d with respect to input, weights and bias. */
  protected void conv2dBpOp(INDArray in, INDArray w, INDArray bias, INDArray gradOut,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    INDArray[] ins = bias == null ? new INDArray[] {in, w, gradOut} : new INDArray[] {in, w, bias, gradOut};
    INDArray[] outs = bias == null ? new INDArray[] {gradIn, gradW} : new INDArray[] {gradIn, gradW, gradB};
    Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(ins).addOutputs(outs)
        .addIntegerArguments(convArgs()).build());
  }

  /** deconv2d with weights [iC, oC, kH, kW] (Caffe's deconvolution layout). */
  protected void deconv2dOp(INDArray in, INDArray w, INDArray bias, INDArray out) {
    Nd4j.exec(DynamicCustomOp.builder("deconv2d")
        .addInputs(bias == null ? new INDArray[] {in, w} : new INDArray[] {in, w, bias})
        .addOutputs(out).addIntegerArguments(convArgs()).build());
  }

  protected void deconv2dBpOp(INDArray in, INDArray w, INDArray bias, INDArray gradOut,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    INDArray[] ins = bias == null ? new INDArray[] {in, w, gradOut} : new INDArray[] {in, w, bias, gradOut};
    INDArray[] outs = bias == null ? new INDArray[] {gradIn, gradW} : new INDArray[] {gradIn, gradW, gradB};
    Nd4j.exec(DynamicCustomOp.builder("deconv2d_bp").addInputs(ins).addOutputs(outs)
        .addIntegerArguments(convArgs()).build());
  }

  private static INDArray channelSlice(INDArray a, int g, int per) {
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval((long) g * per, (long) (g + 1) * per),
        NDArrayIndex.all(), NDArrayIndex.all());
  }

  private static INDArray rows(INDArray a, int g, int per) {
    return a.get(NDArrayIndex.interval((long) g * per, (long) (g + 1) * per));
  }

  /** Runs the whole-batch forward op (per group on copied slices); the op writes the top, bias included. */
  protected void fastForward(boolean deconv, Blob bottom, Blob top) {
    if (batchedForward) {
      batched().toColumns(bottom.data());
      batched.forward(blobs.get(0).data(), biasTerm ? blobs.get(1).data() : null, top.data());
      return;
    }
    if (group == 1) {
      runForwardOp(deconv, bottom.data(), blobs.get(0).data(), biasTerm ? blobs.get(1).data() : null,
          top.data());
      return;
    }
    int inPer = channels / group;
    int outPer = numOutput / group;
    int wPer = convOut / group;
    for (int g = 0; g < group; g++) {
      groupIn.assign(channelSlice(bottom.data(), g, inPer));
      groupW.assign(rows(blobs.get(0).data(), g, wPer));
      if (biasTerm) {
        groupB.assign(rows(blobs.get(1).data(), g, outPer));
      }
      runForwardOp(deconv, groupIn, groupW, biasTerm ? groupB : null, groupOut);
      channelSlice(top.data(), g, outPer).assign(groupOut);
    }
  }

  private void runForwardOp(boolean deconv, INDArray in, INDArray w, INDArray bias, INDArray out) {
    if (deconv) {
      deconv2dOp(in, w, bias, out);
    } else {
      conv2dOp(in, w, bias, out);
    }
  }

  private void runBackwardOp(boolean deconv, INDArray in, INDArray w, INDArray bias, INDArray gradOut,
      INDArray gradIn, INDArray gradW, INDArray gradB) {
    if (deconv) {
      deconv2dBpOp(in, w, bias, gradOut, gradIn, gradW, gradB);
    } else {
      conv2dBpOp(in, w, bias, gradOut, gradIn, gradW, gradB);
    }
  }

  /** Whole-batch backward: accumulates param diffs, overwrites the bottom diff when asked. */
  protected void fastBackward(boolean deconv, Blob top, boolean propagateDown, Blob bottom) {
    boolean wantW = paramPropagateDown(0);
    boolean wantB = biasTerm && paramPropagateDown(1);
    if (!wantW && !wantB && !propagateDown) {
      return;
    }
    if (group == 1 && !deconv && !propagateDown) {
      if (!reuseColumns) {
        batched().toColumns(bottom.data());
      }
      batched.accumulateParamGradients(top.diff(), wantW ? blobs.get(0).diffView() : null,
          wantB ? blobs.get(1).diffView() : null);
      return;
    }
    if (group == 1) {
      INDArray bias = biasTerm ? blobs.get(1).data() : null;
      INDArray gradIn = propagateDown ? bottom.diff() : bottomGradScratch;
      runBackwardOp(deconv, bottom.data(), blobs.get(0).data(), bias, top.diff(), gradIn, weightGrad, biasGrad);
      if (wantW) {
        blobs.get(0).diff().addi(weightGrad);
      }
      if (wantB) {
        blobs.get(1).diff().addi(biasGrad);
      }
      return;
    }
    int inPer = channels / group;
    int outPer = numOutput / group;
    int wPer = convOut / group;
    for (int g = 0; g < group; g++) {
      groupIn.assign(channelSlice(bottom.data(), g, inPer));
      groupOutGrad.assign(channelSlice(top.diff(), g, outPer));
      groupW.assign(rows(blobs.get(0).data(), g, wPer));
      if (biasTerm) {
        groupB.assign(rows(blobs.get(1).data(), g, outPer));
      }
      runBackwardOp(deconv, groupIn, groupW, biasTerm ? groupB : null, groupOutGrad, groupInGrad, groupWGrad,
          groupBGrad);
      if (propagateDown) {
        channelSlice(bottom.diff(), g, inPer).assign(groupInGrad);
      }
      if (wantW) {
        rows(blobs.get(0).diff(), g, wPer).addi(groupWGrad);
      }
      if (wantB) {
        rows(blobs.get(1).diff(), g, outPer).addi(groupBGrad);
      }
    }
  }

  // ---- generic im2col + gemm building blocks ----------------------------------

  /** Rows [start, start+rows) of a [total/cols, cols] matrix view of {@code flat}. */
  private static INDArray matrix(INDArray flat, long offset, int rows, int cols) {
    return flat.get(NDArrayIndex.interval(offset, offset + (long) rows * cols)).reshape('c', rows, cols);
  }

  private void toCol(DataView in, int inOff, DataView colView) {
    if (numSpatial == 2) {
      Im2colKernels.im2col2d(in, inOff, convIn, inSpatial[0], inSpatial[1], kernel[0], kernel[1],
          pad[0], pad[1], stride[0], stride[1], dilation[0], dilation[1], colView, 0);
    } else {
      Im2colKernels.nd(true, in, inOff, convIn, inSpatial, outSpatial, kernel, pad, stride, dilation,
          colView, 0);
    }
  }

  private void fromCol(DataView colView, DataView out, int outOff) {
    if (numSpatial == 2) {
      Im2colKernels.col2im2d(colView, 0, convIn, inSpatial[0], inSpatial[1], kernel[0], kernel[1],
          pad[0], pad[1], stride[0], stride[1], dilation[0], dilation[1], out, outOff);
    } else {
      Im2colKernels.nd(false, out, outOff, convIn, inSpatial, outSpatial, kernel, pad, stride, dilation,
          colView, 0);
    }
  }

  /** The column matrix of image {@code n} of a conv-input-shaped flat array. */
  private INDArray columns(INDArray inFlat, DataView inView, int n) {
    if (is1x1) {
      return matrix(inFlat, (long) n * convIn * inSpatialSize, convIn, inSpatialSize);
    }
    toCol(inView, n * convIn * inSpatialSize, DataView.of(col, (int) col.length()));
    return col;
  }

  /** out[n] = W * col(in[n]) per group; {@code out} is conv-output shaped. */
  protected void forwardGemm(INDArray inFlat, DataView inView, int n, INDArray outFlat) {
    INDArray cols = columns(inFlat, inView, n);
    int outPerGroup = convOut / group;
    long outBase = (long) n * convOut * outSpatialSize;
    for (int g = 0; g < group; g++) {
      INDArray wg = matrix(blobs.get(0).data().reshape(-1), (long) g * outPerGroup * kernelDim,
          outPerGroup, kernelDim);
      INDArray cg = group == 1 ? cols : cols.get(NDArrayIndex.interval(g * kernelDim, (g + 1) * kernelDim),
          NDArrayIndex.all());
      INDArray og = matrix(outFlat, outBase + (long) g * outPerGroup * outSpatialSize, outPerGroup,
          outSpatialSize);
      Nd4j.gemm(wg, cg, og, false, false, 1.0, 0.0);
    }
  }

  /** in[n] = col2im(W^T * out[n]) per group (overwrites); {@code in} is conv-input shaped. */
  protected void backwardGemm(INDArray outFlat, int n, INDArray inFlat, DataView inView) {
    int outPerGroup = convOut / group;
    long outBase = (long) n * convOut * outSpatialSize;
    INDArray target = is1x1 ? matrix(inFlat, (long) n * convIn * inSpatialSize, convIn, inSpatialSize) : col;
    for (int g = 0; g < group; g++) {
      INDArray wg = matrix(blobs.get(0).data().reshape(-1), (long) g * outPerGroup * kernelDim,
          outPerGroup, kernelDim);
      INDArray og = matrix(outFlat, outBase + (long) g * outPerGroup * outSpatialSize, outPerGroup,
          outSpatialSize);
      INDArray cg = group == 1 ? target : target.get(
          NDArrayIndex.interval(g * kernelDim, (g + 1) * kernelDim), NDArrayIndex.all());
      Nd4j.gemm(wg, og, cg, true, false, 1.0, 0.0);
    }
    if (!is1x1) {
      fromCol(DataView.of(col, (int) col.length()), inView, n * convIn * inSpatialSize);
    }
  }

  /** Wdiff += out[n] * col(in[n])^T per group. */
  protected void weightGemm(INDArray inFlat, DataView inView, int n, INDArray outFlat) {
    INDArray cols = columns(inFlat, inView, n);
    int outPerGroup = convOut / group;
    long outBase = (long) n * convOut * outSpatialSize;
    INDArray wDiff = blobs.get(0).diff().reshape(-1);
    for (int g = 0; g < group; g++) {
      INDArray wg = matrix(wDiff, (long) g * outPerGroup * kernelDim, outPerGroup, kernelDim);
      INDArray cg = group == 1 ? cols : cols.get(NDArrayIndex.interval(g * kernelDim, (g + 1) * kernelDim),
          NDArrayIndex.all());
      INDArray og = matrix(outFlat, outBase + (long) g * outPerGroup * outSpatialSize, outPerGroup,
          outSpatialSize);
      Nd4j.gemm(og, cg, wg, false, true, 1.0, 1.0);
    }
  }

  /** Adds the bias to every position of the top (shaped [num, numOutput, spatial...]). */
  protected void addBias(Blob top) {
    INDArray t = top.data().reshape('c', num, numOutput, top.count(channelAxis + 1));
    Nd4j.getExecutioner().exec(new BroadcastAddOp(t, blobs.get(1).data(), t, 1));
  }

  /** bias diff += sum of the top diff over images and positions. */
  protected void backwardBias(Blob top) {
    INDArray t = top.diff().reshape('c', num, numOutput, top.count(channelAxis + 1));
    t.sum(biasSum, 0, 2);
    blobs.get(1).diff().addi(biasSum);
  }
}
