package org.kaffee.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.kaffee.core.OpThreads;

/**
 * Starts the native side of a net on a background thread while the caller parses flags and
 * prototxts: ND4J's backend (about half a second), oneDNN's library and CPU engine, and
 * oneDNN's gemm kernels, which it generates on its first gemm call (0.1-0.25 s, during which
 * every convolution and InnerProduct waits). Class initialization is thread-safe and the
 * kernel generation runs once, so the net's first use of each waits only for what is still
 * under way.
 */
public final class NativeStart {
  private NativeStart() {
  }

  /** Starts {@link #run} on a daemon thread. */
  public static void inBackground() {
    Thread thread = new Thread(NativeStart::runQuietly, "native-start");
    thread.setDaemon(true);
    thread.start();
  }

  /** Loads ND4J and oneDNN and has oneDNN generate its gemm kernels, on the calling thread. */
  public static void run() {
    // ND4J's backend, and one OpenMP thread for this thread's gemm, as every op runs with
    OpThreads.applyToCurrentThread();
    // oneDNN serves products of 8 or fewer rows by another path: 16 reaches the kernels a net's gemms use
    int n = 16;
    try (FloatPointer a = new FloatPointer(n * n); FloatPointer c = new FloatPointer(n * n)) {
      Blas.gemm(false, false, n, n, n, a, n, a, n, 0f, c, n);
    }
  }

  private static void runQuietly() {
    try {
      run();
    } catch (Throwable e) {
      // the command's own first use of the library fails again and reports it in one line
    }
  }
}
