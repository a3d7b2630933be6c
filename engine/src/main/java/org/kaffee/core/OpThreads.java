package org.kaffee.core;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * How many threads one ND4J op may use, {@code KAFFEE_OP_THREADS} (default 1). At LeNet's
 * sizes OpenMP's fork and join per op cost more than the second core brings, and spinning
 * OpenMP threads collapse (3-10x slower ops) when anything else runs on the machine, so an op
 * runs on the thread that calls it; {@code KAFFEE_OP_THREADS=2} gives the OpenMP threads back
 * for nets of large layers. The OpenMP thread count is a per-thread setting, so every thread
 * that runs a net calls {@link #applyToCurrentThread()} (the net does, on each pass); the
 * BLAS pool and libnd4j's own loops are set once for the process.
 */
public final class OpThreads {
  /** The environment variable that sets the count. */
  public static final String VARIABLE = "KAFFEE_OP_THREADS";

  private static final ThreadLocal<Boolean> APPLIED = ThreadLocal.withInitial(() -> false);
  private static volatile boolean processApplied;

  private OpThreads() {
  }

  /** The threads per op in effect: {@code KAFFEE_OP_THREADS}, or 1. */
  public static int count() {
    return parse(System.getenv(VARIABLE));
  }

  static int parse(String value) {
    if (value == null || value.isBlank()) {
      return 1;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new KaffeeException(VARIABLE + " must be a positive number of threads, got \"" + value + "\"");
  }

  /** Limits the ND4J ops this thread runs to {@link #count()} threads; cheap after the first call. */
  public static void applyToCurrentThread() {
    if (APPLIED.get()) {
      return;
    }
    int n = count();
    if (!processApplied) {
      applyToProcess(n);
    }
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    APPLIED.set(true);
  }

  private static synchronized void applyToProcess(int n) {
    if (!processApplied) {
      Nd4j.getEnvironment().setMaxMasterThreads(n);
      Nd4j.factory().blas().setMaxThreads(n);
      processApplied = true;
    }
  }

  /** The OpenMP thread count an op started on this thread would use (for checks and logs). */
  public static int currentThreadOpenMpThreads() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }
}
