package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.Layer;
import org.kaffee.core.Rng;
import org.kaffee.kernels.Pooling;
import org.kaffee.kernels.PoolingShape;
import org.kaffee.kernels.PoolingStrategy;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.PoolingParameter;
import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;
import org.kaffee.proto.Caffe.PoolingParameter.RoundMode;

/**
 * Caffe's Pooling over the last two axes of a 4-D blob: MAX (optional second top = the
 * argmax mask, flat {@code h * W + w} per channel, stored as values), AVE (divisor = the
 * window clipped to {@code H + pad}, so padding counts) and STOCHASTIC (TRAIN samples a
 * position with probability proportional to its value; TEST outputs the value-weighted
 * average). Output size uses CEIL by default and drops a last window that would start in
 * the padding.
 * The loops and native ops are in {@link Pooling}.
 */
public final class PoolingLayer extends Layer {
  private PoolMethod method;
  private boolean global;
  private int kh;
  private int kw;
  private int sh;
  private int sw;
  private int ph;
  private int pw;
  /** The strategy a caller asked for; null: the one {@link PoolingStrategy#choose} picks. */
  private PoolingStrategy requested;
  private PoolingStrategy strategy;
  private Pooling pooling;

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
    pooling = new Pooling(method);
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

  /** Computes with {@code s} from the next reshape on, instead of the chosen strategy. */
  void useStrategy(PoolingStrategy s) {
    requested = s;
  }

  /** The strategy of the last reshape. */
  PoolingStrategy strategy() {
    return strategy;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == 4, "input must have 4 axes, corresponding to (num, channels, height, width); got %s",
        b.shapeString());
    if (global) {
      kh = b.height();
      kw = b.width();
    }
    boolean ceil = param.getPoolingParam().getRoundMode() == RoundMode.CEIL;
    int pooledH = PoolingShape.outSize(b.height(), ph, kh, sh, ceil);
    int pooledW = PoolingShape.outSize(b.width(), pw, kw, sw, ceil);
    check(pooledH > 0 && pooledW > 0, "pooled output %dx%d is empty for bottom %s", pooledH, pooledW,
        b.shapeString());
    for (Blob t : top) {
      t.reshape(b.num(), b.channels(), pooledH, pooledW);
    }
    boolean mask = top.size() > 1;
    PoolingShape shape = new PoolingShape(b.num(), b.channels(), b.height(), b.width(), kh, kw, sh, sw, ph, pw,
        pooledH, pooledW);
    strategy = requested != null ? requested : PoolingStrategy.choose(method, mask, b.dataType(), shape);
    check(strategy.supports(method, mask, b.dataType(), shape), "%s cannot compute %s pooling%s in %s", strategy,
        method, mask ? " with a mask top" : "", b.dataType());
    pooling.reshape(shape, strategy, b.dataType());
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    boolean sample = method == PoolMethod.STOCHASTIC && phase == Phase.TRAIN;
    pooling.forward(bottom.get(0), top.get(0), top.size() > 1 ? top.get(1) : null, sample ? Rng.global() : null);
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (!propagateDown[0]) {
      return;
    }
    check(method != PoolMethod.STOCHASTIC || phase == Phase.TRAIN,
        "STOCHASTIC pooling has no backward in the TEST phase");
    pooling.backward(top.get(0), bottom.get(0));
  }
}
