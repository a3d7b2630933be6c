package org.kaffee.kernels;

import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Single-precision gemm called straight through oneDNN's {@code dnnl_sgemm} on an array's native
 * memory. An ND4J matmul op spends tens of microseconds building its native op context on every
 * call, this call about one; and oneDNN's jit gemm measured 1.8-2x faster than the OpenBLAS
 * that ND4J bundles (LeNet's ip1: 0.45 vs 0.92 ms on one core). Matrices are row-major; each
 * argument is a {@link FloatCursor} placed at the matrix's first element.
 */
public final class Blas {
  private Blas() {
  }

  /**
   * {@code c = a x b + beta * c} (each of a and b transposed as the flags say): a is m x k, b is
   * k x n, c is m x n after the transposes; lda, ldb, ldc are the row lengths in memory. With
   * {@code beta == 0} c is not read.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, int lda,
      FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
    Dnnl.check(dnnl.dnnl_sgemm((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'), m, n, k, 1f, a, lda, b,
        ldb, beta, c, ldc), "multiply matrices");
  }
}
