package org.kaffee.kernels;

import java.util.Arrays;
import org.kaffee.core.DataView;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Numbered planes (the {@code height * width} values of one channel of one image) in the blob's
 * precision, and the element-wise steps of LRN on whole planes; {@link Lrn} decides which
 * planes each step reads and writes. Each plane is its own zero-based array because C2 vectorizes
 * loops over such arrays, but not as well loops at offsets into one large array, and not loops that
 * mix float and double. So float32 computes in float (a few ulps from the double result) and
 * float64 in double (for gradient checks). Planes move to and from the blob by bulk copies.
 */
abstract class LrnPlanes {
  /** How a scale is raised to {@code -beta}: the usual betas have closed forms that vectorize. */
  enum NegPow {
    /** {@code 1 / sqrt(s)}. */
    HALF,
    /** {@code 1 / (sqrt(s) * sqrt(sqrt(s)))}, Caffe's default beta. */
    THREE_QUARTERS,
    /** {@code 1 / s}. */
    ONE,
    /** {@code Math.pow(s, -beta)}. */
    GENERAL;

    static NegPow of(double beta) {
      return beta == 0.5 ? HALF : beta == 0.75 ? THREE_QUARTERS : beta == 1 ? ONE : GENERAL;
    }
  }

  private final DataType type;
  /** The planes, a {@code float[][]} or {@code double[][]}. */
  private final Object[] planes;
  final int length;
  final double beta;
  final NegPow negPow;

  private LrnPlanes(DataType type, Object[] planes, int length, double beta) {
    this.type = type;
    this.planes = planes;
    this.length = length;
    this.beta = beta;
    this.negPow = NegPow.of(beta);
  }

  /**
   * One set of planes of {@code length} values per worker, for blobs of {@code type}: each set has
   * its own planes {@code [0, own)} and shares planes {@code [own, own + shared)} with the others.
   */
  static LrnPlanes[] forWorkers(int workers, DataType type, int own, int shared, int length, double beta) {
    LrnPlanes[] sets = new LrnPlanes[workers];
    if (type == DataType.DOUBLE) {
      double[][] common = new double[shared][length];
      Arrays.setAll(sets, w -> new F64(concat(new double[own][length], common), length, beta));
    } else {
      float[][] common = new float[shared][length];
      Arrays.setAll(sets, w -> new F32(concat(new float[own][length], common), length, beta));
    }
    return sets;
  }

  private static <T> T[] concat(T[] a, T[] b) {
    T[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** Whether these planes serve blobs of {@code type} needing {@code count} planes of {@code length}. */
  boolean holds(DataType type, int count, int length) {
    return this.type == type && planes.length >= count && this.length == length;
  }

  /** {@code dst = src[from, from + length)}. */
  abstract void load(DataView src, int from, int dst);

  /** {@code dst[to, to + length) = src}. */
  abstract void store(int src, DataView dst, int to);

  /** {@code dst = 0}. */
  abstract void zero(int dst);

  /** {@code dst += src * src}. */
  abstract void addSquares(int src, int dst);

  /** {@code dst += src}. */
  abstract void add(int src, int dst);

  /** {@code dst[dstFrom, dstFrom + n) = src[srcFrom, srcFrom + n)}. */
  final void copy(int src, int srcFrom, int dst, int dstFrom, int n) {
    System.arraycopy(planes[src], srcFrom, planes[dst], dstFrom, n);
  }

  /** {@code dst = shift + factor * src}. */
  abstract void affine(int src, double shift, double factor, int dst);

  /** {@code dst = src * scale^-beta}. */
  abstract void mulNegPow(int src, int scale, int dst);

  /** {@code dst = dy * y / scale}. */
  abstract void ratio(int dy, int y, int scale, int dst);

  /** {@code dst -= factor * a * b}. */
  abstract void subProduct(int a, int b, double factor, int dst);

  private static final class F32 extends LrnPlanes {
    private final float[][] p;

    F32(float[][] p, int length, double beta) {
      super(DataType.FLOAT, p, length, beta);
      this.p = p;
    }

    @Override
    void load(DataView src, int from, int dst) {
      ((DataView.F32) src).buf().get(from, p[dst]);
    }

    @Override
    void store(int src, DataView dst, int to) {
      ((DataView.F32) dst).buf().put(to, p[src]);
    }

    @Override
    void zero(int dst) {
      Arrays.fill(p[dst], 0);
    }

    @Override
    void addSquares(int src, int dst) {
      float[] s = p[src];
      float[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] += s[i] * s[i];
      }
    }

    @Override
    void add(int src, int dst) {
      float[] s = p[src];
      float[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] += s[i];
      }
    }

    @Override
    void affine(int src, double shift, double factor, int dst) {
      float[] s = p[src];
      float[] d = p[dst];
      float b = (float) shift;
      float a = (float) factor;
      for (int i = 0; i < length; i++) {
        d[i] = b + a * s[i];
      }
    }

    @Override
    void mulNegPow(int src, int scale, int dst) {
      float[] x = p[src];
      float[] s = p[scale];
      float[] d = p[dst];
      // One loop per case, so that each vectorizes (the general case cannot).
      switch (negPow) {
        case HALF -> {
          for (int i = 0; i < length; i++) {
            d[i] = x[i] / (float) Math.sqrt(s[i]);
          }
        }
        case THREE_QUARTERS -> {
          for (int i = 0; i < length; i++) {
            float r = (float) Math.sqrt(s[i]);
            d[i] = x[i] / (r * (float) Math.sqrt(r));
          }
        }
        case ONE -> {
          for (int i = 0; i < length; i++) {
            d[i] = x[i] / s[i];
          }
        }
        default -> {
          for (int i = 0; i < length; i++) {
            d[i] = (float) (x[i] * Math.pow(s[i], -beta));
          }
        }
      }
    }

    @Override
    void ratio(int dy, int y, int scale, int dst) {
      float[] g = p[dy];
      float[] v = p[y];
      float[] s = p[scale];
      float[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] = g[i] * v[i] / s[i];
      }
    }

    @Override
    void subProduct(int a, int b, double factor, int dst) {
      float[] u = p[a];
      float[] v = p[b];
      float[] d = p[dst];
      float f = (float) factor;
      for (int i = 0; i < length; i++) {
        d[i] -= f * u[i] * v[i];
      }
    }
  }

  private static final class F64 extends LrnPlanes {
    private final double[][] p;

    F64(double[][] p, int length, double beta) {
      super(DataType.DOUBLE, p, length, beta);
      this.p = p;
    }

    @Override
    void load(DataView src, int from, int dst) {
      ((DataView.F64) src).buf().get(from, p[dst]);
    }

    @Override
    void store(int src, DataView dst, int to) {
      ((DataView.F64) dst).buf().put(to, p[src]);
    }

    @Override
    void zero(int dst) {
      Arrays.fill(p[dst], 0);
    }

    @Override
    void addSquares(int src, int dst) {
      double[] s = p[src];
      double[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] += s[i] * s[i];
      }
    }

    @Override
    void add(int src, int dst) {
      double[] s = p[src];
      double[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] += s[i];
      }
    }

    @Override
    void affine(int src, double shift, double factor, int dst) {
      double[] s = p[src];
      double[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] = shift + factor * s[i];
      }
    }

    @Override
    void mulNegPow(int src, int scale, int dst) {
      double[] x = p[src];
      double[] s = p[scale];
      double[] d = p[dst];
      switch (negPow) {
        case HALF -> {
          for (int i = 0; i < length; i++) {
            d[i] = x[i] / Math.sqrt(s[i]);
          }
        }
        case THREE_QUARTERS -> {
          for (int i = 0; i < length; i++) {
            double r = Math.sqrt(s[i]);
            d[i] = x[i] / (r * Math.sqrt(r));
          }
        }
        case ONE -> {
          for (int i = 0; i < length; i++) {
            d[i] = x[i] / s[i];
          }
        }
        default -> {
          for (int i = 0; i < length; i++) {
            d[i] = x[i] * Math.pow(s[i], -beta);
          }
        }
      }
    }

    @Override
    void ratio(int dy, int y, int scale, int dst) {
      double[] g = p[dy];
      double[] v = p[y];
      double[] s = p[scale];
      double[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] = g[i] * v[i] / s[i];
      }
    }

    @Override
    void subProduct(int a, int b, double factor, int dst) {
      double[] u = p[a];
      double[] v = p[b];
      double[] d = p[dst];
      for (int i = 0; i < length; i++) {
        d[i] -= factor * u[i] * v[i];
      }
    }
  }
}
