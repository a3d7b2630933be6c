package org.kaffee.kernels;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * InnerProduct's products in float32 through oneDNN's gemm ({@link Blas}): {@code x} is [m, k],
 * {@code y} [m, n], the weight [n, k] or, transposed, [k, n]. Each product is split into two
 * fixed parts of disjoint output rows run on the cores; no part adds to another's, so results do
 * not depend on the number of cores. One per layer: it keeps each part's cursors.
 */
public final class InnerProductGemm {
  private static final int PARTS = BatchParts.PARTS;

  /** Per part; slots: 0 x, 1 weights, 2 y, 3 top diff, 4 weight diff, 5 bottom diff. */
  private final Cursors[] cursors = new Cursors[PARTS];
  private float[] biasRow = new float[0];

  public InnerProductGemm() {
    for (int p = 0; p < PARTS; p++) {
      cursors[p] = new Cursors(6);
    }
  }

  /** Whether blobs of this type take this path. */
  public static boolean supports(DataType type) {
    return type == DataType.FLOAT;
  }

  /** y = x W^T (x W when transposed), plus the bias in every row when there is one. */
  public void forward(INDArray x, INDArray w, INDArray bias, INDArray y, int m, int k, int n, boolean transposed) {
    if (bias != null) {
      if (biasRow.length != n) {
        biasRow = new float[n];
      }
      bias.data().asNioFloat().get(0, biasRow);
    }
    FloatBuffer out = bias == null ? null : y.data().asNioFloat();
    inParts(m, (c, from, to) -> {
      if (out != null) {
        for (int r = from; r < to; r++) {
          out.put(r * n, biasRow);
        }
      }
      Blas.gemm(false, !transposed, to - from, n, k, c.on(0, x).at((long) from * k), k, c.on(1, w).at(0),
          transposed ? n : k, bias == null ? 0f : 1f, c.on(2, y).at((long) from * n), n);
    });
  }

  /** dW += dy^T x ([n, k]), or x^T dy ([k, n]) when transposed. */
  public void addWeightGradient(INDArray x, INDArray dy, INDArray dw, int m, int k, int n, boolean transposed) {
    int rows = transposed ? k : n;
    int cols = transposed ? n : k;
    inParts(rows, (c, from, to) -> {
      FloatCursor a = transposed ? c.on(0, x) : c.on(3, dy);
      FloatCursor b = transposed ? c.on(3, dy) : c.on(0, x);
      Blas.gemm(true, false, to - from, cols, m, a.at(from), transposed ? k : n, b.at(0), cols, 1f,
          c.on(4, dw).at((long) from * cols), cols);
    });
  }

  /** db += the column sums of dy, row after row as Caffe's gemv with a ones vector. */
  public static void addBiasGradient(INDArray dy, INDArray db, int m, int n) {
    FloatBuffer grads = dy.data().asNioFloat();
    FloatBuffer sums = db.data().asNioFloat();
    for (int c = 0; c < n; c++) {
      float sum = sums.get(c);
      for (int r = 0; r < m; r++) {
        sum += grads.get(r * n + c);
      }
      sums.put(c, sum);
    }
  }

  /** dx = dy W ([m, k]), or dy W^T when transposed; dx is overwritten. */
  public void bottomGradient(INDArray dy, INDArray w, INDArray dx, int m, int k, int n, boolean transposed) {
    inParts(m, (c, from, to) -> Blas.gemm(false, transposed, to - from, k, n, c.on(3, dy).at((long) from * n), n,
        c.on(1, w).at(0), transposed ? n : k, 0f, c.on(5, dx).at((long) from * k), k));
  }

  private interface Rows {
    void run(Cursors cursors, int from, int to);
  }

  /** Rows [0, count) in {@link #PARTS} fixed parts on the cores, part p with its own cursors. */
  private void inParts(int count, Rows body) {
    int parts = BatchParts.count(count);
    Parallel.forRange(parts, (worker, first, last) -> {
      for (int p = first; p < last; p++) {
        body.run(cursors[p], (int) BatchParts.start(p, count, parts), (int) BatchParts.start(p + 1, count, parts));
      }
    });
  }
}
