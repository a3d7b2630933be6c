package org.kaffee.kernels;

import java.util.Random;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Caffe's MAX, AVE and STOCHASTIC pooling over the windows of a {@link PoolingShape}, with the
 * {@link PoolingStrategy} given at each reshape. The Java loops compute every output the native
 * ops do not (all of them with {@link PoolingStrategy#JAVA_LOOPS}) and remember the position each
 * MAX and STOCHASTIC output came from for the backward.
 */
public final class Pooling {
  private final PoolMethod method;
  private PoolingShape shape;
  private DataType type;
  private final PoolingWindows rowWindows = new PoolingWindows();
  private final PoolingWindows colWindows = new PoolingWindows();
  /** Per top element: the flat bottom index (within its plane) chosen by MAX/STOCHASTIC. */
  private int[] argmax = new int[0];
  /** The native part; null with the Java loops alone. */
  private NativePooling nativeOps;
  /** The whole pooling in oneDNN primitives; null unless that strategy was given. */
  private DnnlPooling dnnl;

  public Pooling(PoolMethod method) {
    this.method = method;
  }

  /** Takes a new shape; allocates only when it changed (reshape runs before every forward). */
  public void reshape(PoolingShape s, PoolingStrategy strategy, DataType type) {
    if (s.equals(shape) && type == this.type && (strategy == PoolingStrategy.NATIVE_OPS) == (nativeOps != null)
        && (strategy == PoolingStrategy.DNNL) == (dnnl != null)) {
      return;
    }
    shape = s;
    this.type = type;
    int n = s.planes() * s.pooledH() * s.pooledW();
    if (method != PoolMethod.AVE && argmax.length < n) {
      argmax = new int[n];
    }
    rowWindows.compute(s.pooledH(), s.height(), s.kernelH(), s.strideH(), s.padH());
    colWindows.compute(s.pooledW(), s.width(), s.kernelW(), s.strideW(), s.padW());
    nativeOps = null;
    dnnl = strategy == PoolingStrategy.DNNL ? new DnnlPooling(s, method) : null;
    if (strategy == PoolingStrategy.NATIVE_OPS) {
      NativePooling ops = new NativePooling(s, method == PoolMethod.MAX, type);
      nativeOps = ops.isEmpty() ? null : ops;
    }
  }

  /** The first output column the loops compute in row {@code y}: the ops computed those before it. */
  private int firstColumn(int y) {
    return nativeOps == null ? 0 : nativeOps.firstLeftColumn(y);
  }

  /**
   * Pools the bottom into the top; MAX also writes the argmax into {@code mask} (null: no mask
   * top); STOCHASTIC samples with {@code rng} (TRAIN) or averages weighted by value (null: TEST).
   */
  public void forward(Blob bottom, Blob top, Blob mask, Random rng) {
    if (dnnl != null) {
      dnnl.forward(bottom, top);
      return;
    }
    if (nativeOps != null) {
      nativeOps.forward(bottom, top);
      if (nativeOps.coversTop(shape)) {
        return;
      }
    }
    DataView in = bottom.dataView();
    DataView out = top.dataView();
    switch (method) {
      case MAX -> forwardMax(in, out, mask == null ? null : mask.dataView());
      case AVE -> forwardAve(in, out);
      case STOCHASTIC -> {
        if (rng != null) {
          forwardStochasticTrain(in, out, rng);
        } else {
          forwardStochasticTest(in, out);
        }
      }
      default -> throw new IllegalStateException("unknown pooling method " + method);
    }
  }

  private void forwardMax(DataView in, DataView out, DataView mask) {
    int width = shape.width();
    for (int plane = 0; plane < shape.planes(); plane++) {
      int base = plane * shape.height() * width;
      for (int y = 0; y < shape.pooledH(); y++) {
        int o = (plane * shape.pooledH() + y) * shape.pooledW() + firstColumn(y);
        for (int x = firstColumn(y); x < shape.pooledW(); x++, o++) {
          double best = -Float.MAX_VALUE;
          int bestIdx = -1;
          for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
            for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
              double v = in.get(base + h * width + w);
              if (v > best) {
                best = v;
                bestIdx = h * width + w;
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
    int width = shape.width();
    for (int plane = 0; plane < shape.planes(); plane++) {
      int base = plane * shape.height() * width;
      for (int y = 0; y < shape.pooledH(); y++) {
        int o = (plane * shape.pooledH() + y) * shape.pooledW() + firstColumn(y);
        for (int x = firstColumn(y); x < shape.pooledW(); x++, o++) {
          double sum = 0;
          for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
            for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
              sum += in.get(base + h * width + w);
            }
          }
          out.set(o, sum / divisor(y, x));
        }
      }
    }
  }

  private int divisor(int y, int x) {
    return rowWindows.divisorSpan[y] * colWindows.divisorSpan[x];
  }

  // STOCHASTIC has no padding (Caffe rejects it) and no native ops, so the windows start at
  // y * stride and the loops cover every output.
  private void forwardStochasticTrain(DataView in, DataView out, Random rng) {
    int width = shape.width();
    int o = 0;
    for (int plane = 0; plane < shape.planes(); plane++) {
      int base = plane * shape.height() * width;
      for (int y = 0; y < shape.pooledH(); y++) {
        int hs = rowWindows.start[y];
        int he = rowWindows.end[y];
        for (int x = 0; x < shape.pooledW(); x++, o++) {
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
    int width = shape.width();
    int o = 0;
    for (int plane = 0; plane < shape.planes(); plane++) {
      int base = plane * shape.height() * width;
      for (int y = 0; y < shape.pooledH(); y++) {
        for (int x = 0; x < shape.pooledW(); x++, o++) {
          // Caffe seeds the sum with FLT_MIN so an all-zero window gives 0, not NaN.
          double sum = Float.MIN_NORMAL;
          double weighted = 0;
          for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
            for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
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

  /**
   * Overwrites the bottom diff with the gradient: AVE spreads each top gradient over its window,
   * MAX and STOCHASTIC (after a TRAIN forward) route it to the chosen position.
   */
  public void backward(Blob top, Blob bottom) {
    if (dnnl != null) {
      dnnl.backward(top, bottom);
      return;
    }
    if (nativeOps != null) {
      nativeOps.backward(top, bottom);
      if (nativeOps.coversTop(shape)) {
        return;
      }
    } else {
      bottom.diff().assign(0);
    }
    DataView g = bottom.diffView();
    DataView tg = top.diffView();
    int width = shape.width();
    for (int plane = 0; plane < shape.planes(); plane++) {
      int base = plane * shape.height() * width;
      for (int y = 0; y < shape.pooledH(); y++) {
        int o = (plane * shape.pooledH() + y) * shape.pooledW() + firstColumn(y);
        for (int x = firstColumn(y); x < shape.pooledW(); x++, o++) {
          if (method != PoolMethod.AVE) {
            if (argmax[o] >= 0) {
              g.add(base + argmax[o], tg.get(o));
            }
            continue;
          }
          double d = tg.get(o) / divisor(y, x);
          for (int h = rowWindows.start[y]; h < rowWindows.end[y]; h++) {
            for (int w = colWindows.start[x]; w < colWindows.end[x]; w++) {
              g.add(base + h * width + w, d);
            }
          }
        }
      }
    }
  }
}
