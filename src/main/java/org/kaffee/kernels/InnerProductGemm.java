package org.kaffee.kernels;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * InnerProduct's products in float32 through cblas ({@link Blas}): {@code x} is [m, k], {@code y}
 * [m, n], the weight [n, k] or, transposed, [k, n]. Each product is split into two fixed parts of
 * disjoint output rows run on the cores; no part adds to another's, so results do not depend on
 * the number of cores.
 */
public final class InnerProductGemm {
  private static final int PARTS = BatchParts.PARTS;

  private InnerProductGemm() {
  }

  /** Whether blobs of this type take this path. */
  public static boolean supports(DataType type) {
    return type == DataType.FLOAT;
  }

  /** y = x W^T (x W when transposed), plus the bias in every row when there is one. */
  public static void forward(INDArray x, INDArray w, INDArray bias, INDArray y, int m, int k, int n,
      boolean transposed) {
    float[] biasRow = bias == null ? null : new float[n];
    if (bias != null) {
      bias.data().asNioFloat().get(0, biasRow);
    }
    FloatBuffer out = y.data().asNioFloat();
    inParts(m, (from, to) -> {
      if (biasRow != null) {
        for (int r = from; r < to; r++) {
          out.put(r * n, biasRow);
        }
      }
      Blas.gemm(false, !transposed, to - from, n, k, new FloatCursor(x).at((long) from * k), k,
          new FloatCursor(w).at(0), transposed ? n : k, bias == null ? 0f : 1f, new FloatCursor(y).at((long) from * n), n);
    });
  }

  /** dW += dy^T x ([n, k]), or x^T dy ([k, n]) when transposed. */
  public static void addWeightGradient(INDArray x, INDArray dy, INDArray dw, int m, int k, int n, boolean transposed) {
    int rows = transposed ? k : n;
    int cols = transposed ? n : k;
    inParts(rows, (from, to) -> {
      FloatCursor a = new FloatCursor(transposed ? x : dy);
      FloatCursor b = new FloatCursor(transposed ? dy : x);
      Blas.gemm(true, false, to - from, cols, m, a.at(from), transposed ? k : n, b.at(0), cols, 1f,
          new FloatCursor(dw).at((long) from * cols), cols);
    });
  }

  /** db += the column sums of dy, row after row as Caffe's gemv with a ones vector. */
  public static void addBiasGradient(INDArray dy, INDArray db, int m, int n) {
    FloatBuffer grads = dy.data().asNioFloat();
    FloatBuffer sums = db.data().asNioFloat();
    float[] column = new float[n];
    sums.get(0, column);
    for (int r = 0; r < m; r++) {
      for (int c = 0; c < n; c++) {
        column[c] += grads.get(r * n + c);
      }
    }
    sums.put(0, column);
  }

  /** dx = dy W ([m, k]), or dy W^T when transposed; dx is overwritten. */
  public static void bottomGradient(INDArray dy, INDArray w, INDArray dx, int m, int k, int n, boolean transposed) {
    inParts(m, (from, to) -> Blas.gemm(false, transposed, to - from, k, n, new FloatCursor(dy).at((long) from * n), n,
        new FloatCursor(w).at(0), transposed ? n : k, 0f, new FloatCursor(dx).at((long) from * k), k));
  }

  private interface Rows {
    void run(int from, int to);
  }

  /** Rows [0, count) in {@link #PARTS} fixed parts on the cores. */
  private static void inParts(int count, Rows body) {
    int parts = Math.max(1, Math.min(PARTS, count));
    Parallel.forRange(parts, (worker, first, last) -> {
      for (int p = first; p < last; p++) {
        int from = (int) ((long) p * count / parts);
        int to = (int) ((long) (p + 1) * count / parts);
        body.run(from, to);
      }
    });
  }
}
