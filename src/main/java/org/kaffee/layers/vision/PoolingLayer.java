package org.kaffee.layers.vision;

import java.util.List;
import java.util.Random;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.core.Rng;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.PoolingParameter;
import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;
import org.kaffee.proto.Caffe.PoolingParameter.RoundMode;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Caffe's Pooling over the last two axes of a 4-D blob: MAX (optional second top = the
 * argmax mask, flat {@code h * W + w} per channel, stored as values), AVE (divisor = the
 * window clipped to {@code H + pad}, so padding counts) and STOCHASTIC (TRAIN samples a
 * position with probability proportional to its value; TEST outputs the value-weighted
 * average). Output size uses CEIL by default and drops a last window that would start in
 * the padding.
 *
 * <p>MAX (without the mask top) and AVE run ND4J's native pooling ops over the windows that
 * floor rounding would give; those windows are Caffe's, and none reaches past
 * {@code H + pad}, so AVE's divisor is the whole kernel ("include padding"). The extra last
 * row and column of windows that ceil rounding adds are computed by the Java loops, which
 * also serve STOCHASTIC and the mask top. MAX backward recomputes the argmax from the bottom
 * (as the native op does), so the bottom must not change between forward and backward.
 */
public final class PoolingLayer extends Layer {
  /** Lets tests compare the native path with the Java loops. */
  static boolean allowNativePath = true;

  private PoolMethod method;
  private boolean global;
  private int kh;
  private int kw;
  private int sh;
  private int sw;
  private int ph;
  private int pw;
  private int num;
  private int channels;
  private int height;
  private int width;
  private int pooledH;
  private int pooledW;
  /** Per top element: the flat bottom index (within its channel) chosen by MAX/STOCHASTIC. */
  private int[] argmax = new int[0];
  private final PoolingWindows rowWindows = new PoolingWindows();
  private final PoolingWindows colWindows = new PoolingWindows();
  /** Output rows and columns [0, nativeH) x [0, nativeW) computed by the native op; 0 when none. */
  private int nativeH;
  private int nativeW;
  /** Native op output and top gradient when the ceil rounding adds windows (else the top itself). */
  private INDArray nativeTop;
  private INDArray nativeTopDiff;

  public PoolingLayer(LayerParameter param) {
    // MAX pooling may output its argmax mask as a second top.
    super(param,
        BlobCounts.ranges(1, 1, 1, param.getPoolingParam().getPool() == PoolMethod.MAX ? 2 : 1));
  }

  @Override
  public String type() {
    return "Pooling";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    PoolingParameter p = param.getPoolingParam();
    method = p.getPool();
    global = p.getGlobalPooling();
    if (global) {
      check(!(p.hasKernelSize() || p.hasKernelH() || p.hasKernelW()),
          "with global_pooling: true filter size cannot be specified");
    } else {
      check(p.hasKernelSize() != (p.hasKernelH() && p.hasKernelW()),
          "filter size is kernel_size OR kernel_h and kernel_w; not both");
      check(p.hasKernelSize() || (p.hasKernelH() && p.hasKernelW()),
          "for non-square filters both kernel_h and kernel_w are required");
    }
    check((!p.hasPad() && p.hasPadH() && p.hasPadW()) || (!p.hasPadH() && !p.hasPadW()),
        "pad is pad OR pad_h and pad_w are required");
    check((!p.hasStride() && p.hasStrideH() && p.hasStrideW()) || (!p.hasStrideH() && !p.hasStrideW()),
        "stride is stride OR stride_h and stride_w are required");
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    if (global) {
      kh = b.height();
      kw = b.width();
    } else if (p.hasKernelSize()) {
      kh = kw = p.getKernelSize();
    } else {
      kh = p.getKernelH();
      kw = p.getKernelW();
    }
    check(kh > 0 && kw > 0, "filter dimensions cannot be zero");
    if (p.hasPadH()) {
      ph = p.getPadH();
      pw = p.getPadW();
    } else {
      ph = pw = p.getPad();
    }
    if (p.hasStrideH()) {
      sh = p.getStrideH();
      sw = p.getStrideW();
    } else {
      sh = sw = p.getStride();
    }
    check(sh > 0 && sw > 0, "stride cannot be zero");
    if (global) {
      check(ph == 0 && pw == 0 && sh == 1 && sw == 1, "with global pooling: true; only pad = 0 and stride = 1");
    }
    if (ph != 0 || pw != 0) {
      check(method == PoolMethod.AVE || method == PoolMethod.MAX, "padding implemented only for average and max pooling");
      check(ph < kh && pw < kw, "pad (%d, %d) must be smaller than the kernel (%d, %d)", ph, pw, kh, kw);
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    num = b.num();
    channels = b.channels();
    height = b.height();
    width = b.width();
    if (global) {
      kh = height;
      kw = width;
    }
    boolean ceil = param.getPoolingParam().getRoundMode() == RoundMode.CEIL;
    pooledH = outSize(height, ph, kh, sh, ceil);
    pooledW = outSize(width, pw, kw, sw, ceil);
    check(pooledH > 0 && pooledW > 0, "pooled output %dx%d is empty for bottom %s", pooledH, pooledW,
        b.shapeString());
    for (Blob t : top) {
      t.reshape(num, channels, pooledH, pooledW);
    }
    int n = num * channels * pooledH * pooledW;
    if (method != PoolMethod.AVE && argmax.length < n) {
      argmax = new int[n];
    }
    rowWindows.compute(pooledH, height, kh, sh, ph);
    colWindows.compute(pooledW, width, kw, sw, pw);
    boolean nativePath = allowNativePath && top.size() == 1
        && (method == PoolMethod.MAX || method == PoolMethod.AVE);
    nativeH = nativePath ? Math.max(outSize(height, ph, kh, sh, false), 0) : 0;
    nativeW = nativePath ? Math.max(outSize(width, pw, kw, sw, false), 0) : 0;
    if (nativeH == 0 || nativeW == 0) {
      nativeH = nativeW = 0;
    }
    if (nativeH == 0 || nativeCoversTop()) {
      nativeTop = nativeTopDiff = null;
    } else if (nativeTop == null || nativeTop.dataType() != b.dataType()
        || !java.util.Arrays.equals(nativeTop.shape(), new long[] {num, channels, nativeH, nativeW})) {
      // Reshape runs before every forward: allocate only when the shape changes.
      nativeTop = Nd4j.create(b.dataType(), num, channels, nativeH, nativeW);
      nativeTopDiff = Nd4j.create(b.dataType(), num, channels, nativeH, nativeW);
    }
  }

  private boolean nativeCoversTop() {
    return nativeH == pooledH && nativeW == pooledW;
  }

  /** The part of a top-shaped array that the native op computes. */
  private INDArray nativeRegion(INDArray a) {
    INDArrayIndex all = NDArrayIndex.all();
    return a.get(all, all, NDArrayIndex.interval(0, nativeH), NDArrayIndex.interval(0, nativeW));
  }

  /** The first column the Java loops compute in output row {@code y}: the rest of the row is native. */
  private int firstJavaColumn(int y) {
    return y < nativeH ? nativeW : 0;
  }

  private DynamicCustomOp nativeOp(String name, INDArray[] in, INDArray out) {
    // Int args: kernel, stride, pad, dilation, SAME mode off, AVE divisor includes padding, NCHW.
    return DynamicCustomOp.builder(name).addInputs(in).addOutputs(out)
        .addIntegerArguments(kh, kw, sh, sw, ph, pw, 1, 1, 0, 1, 0).build();
  }

  private String nativeOpName() {
    return method == PoolMethod.MAX ? "maxpool2d" : "avgpool2d";
  }

  private void nativeForward(Blob bottom, Blob top) {
    if (nativeTop == null) {
      Nd4j.exec(nativeOp(nativeOpName(), new INDArray[] {bottom.data()}, top.data()));
      return;
    }
    Nd4j.exec(nativeOp(nativeOpName(), new INDArray[] {bottom.data()}, nativeTop));
    nativeRegion(top.data()).assign(nativeTop);
  }

  /** Overwrites the bottom diff with the gradient of the native windows. */
  private void nativeBackward(Blob top, Blob bottom) {
    INDArray topDiff = top.diff();
    if (nativeTopDiff != null) {
      nativeTopDiff.assign(nativeRegion(topDiff));
      topDiff = nativeTopDiff;
    }
    Nd4j.exec(nativeOp(nativeOpName() + "_bp", new INDArray[] {bottom.data(), topDiff}, bottom.diff()));
  }

  /** Caffe's pooled size: ceil (or floor), minus one when the last window starts in the padding. */
  static int outSize(int in, int pad, int kernel, int stride, boolean ceil) {
    int span = in + 2 * pad - kernel;
    int out = (ceil ? (int) Math.ceil((double) span / stride) : Math.floorDiv(span, stride)) + 1;
    if (pad > 0 && (out - 1) * stride >= in + pad) {
      out--;
    }
    return out;
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    if (nativeH > 0) {
      nativeForward(bottom.get(0), top.get(0));
      if (nativeCoversTop()) {
        return;
      }
    }
    DataView in = bottom.get(0).dataView();
    DataView out = top.get(0).dataView();
    switch (method) {
      case MAX -> forwardMax(in, out, top.size() > 1 ? top.get(1).dataView() : null);
      case AVE -> forwardAve(in, out);
      case STOCHASTIC -> {
        if (phase == Phase.TRAIN) {
          forwardStochasticTrain(in, out, Rng.global());
        } else {
          forwardStochasticTest(in, out);
        }
      }
      default -> check(false, "unknown pooling method %s", method);
    }
  }

  private void forwardMax(DataView in, DataView out, DataView mask) {
    for (int plane = 0; plane < num * channels; plane++) {
      int base = plane * height * width;
      for (int y = 0; y < pooledH; y++) {
        int hs = rowWindows.start[y];
        int he = rowWindows.end[y];
        int o = (plane * pooledH + y) * pooledW + firstJavaColumn(y);
        for (int x = firstJavaColumn(y); x < pooledW; x++, o++) {
          int ws = colWindows.start[x];
          int we = colWindows.end[x];
          double best = -Float.MAX_VALUE;
          int bestIdx = -1;
          for (int h = hs; h < he; h++) {
            for (int w = ws; w < we; w++) {
              int idx = h * width + w;
              double v = in.get(base + idx);
              if (v > best) {
                best = v;
                bestIdx = idx;
              }
            }
          }
          out.set(o, best);
          argmax[o] = bestIdx;
          if (mask != null) {
            mask.set(o, bestIdx);
          }
        }
      }
    }
  }

  private void forwardAve(DataView in, DataView out) {
    for (int plane = 0; plane < num * channels; plane++) {
      int base = plane * height * width;
      for (int y = 0; y < pooledH; y++) {
        int o = (plane * pooledH + y) * pooledW + firstJavaColumn(y);
        for (int x = firstJavaColumn(y); x < pooledW; x++, o++) {
          double sum = 0;
          for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
            int row = base + h * width;
            for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
              sum += in.get(row + w);
            }
          }
          out.set(o, sum / (rowWindows.divisorSpan[y] * colWindows.divisorSpan[x]));
        }
      }
    }
  }

  private void forwardStochasticTrain(DataView in, DataView out, Random rng) {
    int o = 0;
    for (int plane = 0; plane < num * channels; plane++) {
      int base = plane * height * width;
      for (int y = 0; y < pooledH; y++) {
        // STOCHASTIC has no padding (layerSetUp rejects it), so the windows start at y * stride.
        int hs = rowWindows.start[y];
        int he = rowWindows.end[y];
        for (int x = 0; x < pooledW; x++, o++) {
          int ws = colWindows.start[x];
          int we = colWindows.end[x];
          double sum = 0;
          for (int h = hs; h < he; h++) {
            for (int w = ws; w < we; w++) {
              sum += in.get(base + h * width + w);
            }
          }
          double threshold = rng.nextDouble() * sum;
          double cum = 0;
          int chosen = (he - 1) * width + (we - 1);
          search:
          for (int h = hs; h < he; h++) {
            for (int w = ws; w < we; w++) {
              cum += in.get(base + h * width + w);
              if (cum >= threshold) {
                chosen = h * width + w;
                break search;
              }
            }
          }
          argmax[o] = chosen;
          out.set(o, in.get(base + chosen));
        }
      }
    }
  }

  private void forwardStochasticTest(DataView in, DataView out) {
    int o = 0;
    for (int plane = 0; plane < num * channels; plane++) {
      int base = plane * height * width;
      for (int y = 0; y < pooledH; y++) {
        // STOCHASTIC has no padding (layerSetUp rejects it), so the windows start at y * stride.
        int hs = rowWindows.start[y];
        int he = rowWindows.end[y];
        for (int x = 0; x < pooledW; x++, o++) {
          int ws = colWindows.start[x];
          int we = colWindows.end[x];
          // Caffe seeds the sum with FLT_MIN so an all-zero window gives 0, not NaN.
          double sum = Float.MIN_NORMAL;
          double weighted = 0;
          for (int h = hs; h < he; h++) {
            for (int w = ws; w < we; w++) {
              double v = in.get(base + h * width + w);
              sum += v;
              weighted += v * v;
            }
          }
          out.set(o, weighted / sum);
        }
      }
    }
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    Blob b = bottom.get(0);
    if (nativeH > 0) {
      nativeBackward(top.get(0), b);
      if (nativeCoversTop()) {
        return;
      }
    } else {
      b.diff().assign(0);
    }
    check(method != PoolMethod.STOCHASTIC || phase == Phase.TRAIN,
        "STOCHASTIC pooling has no backward in the TEST phase");
    DataView g = b.diffView();
    DataView tg = top.get(0).diffView();
    for (int plane = 0; plane < num * channels; plane++) {
      int base = plane * height * width;
      for (int y = 0; y < pooledH; y++) {
        int o = (plane * pooledH + y) * pooledW + firstJavaColumn(y);
        for (int x = firstJavaColumn(y); x < pooledW; x++, o++) {
          if (method == PoolMethod.AVE) {
            addToWindow(g, base, y, x, tg.get(o) / (rowWindows.divisorSpan[y] * colWindows.divisorSpan[x]));
          } else if (argmax[o] >= 0) {
            // MAX and STOCHASTIC (TRAIN) route each top gradient to the chosen bottom position.
            g.add(base + argmax[o], tg.get(o));
          }
        }
      }
    }
  }

  private void addToWindow(DataView g, int base, int y, int x, double d) {
    for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
      int row = base + h * width;
      for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
        g.add(row + w, d);
      }
    }
  }
}
