package org.kaffee.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.junit.jupiter.api.Test;
import org.kaffee.core.OpThreads;

/**
 * {@link NativeStart} leaves oneDNN's gemm kernels generated, so a net's first gemm does not
 * wait for them. Each case runs in a JVM of its own: in this one an earlier test has already
 * called gemm.
 */
class NativeStartTest {
  /** A gemm after the start takes microseconds; generating the kernels takes 0.1 s or more. */
  private static final double WARM_LIMIT_MS = 50;

  @Test
  void theFirstGemmAfterTheStartFindsItsKernels() throws Exception {
    double cold = firstGemmMillis(false);
    double warm = firstGemmMillis(true);
    assertTrue(cold > WARM_LIMIT_MS, "premise: without the start, the first gemm generates kernels (" + cold + " ms)");
    assertTrue(warm < WARM_LIMIT_MS, "after NativeStart.run the first gemm took " + warm + " ms");
  }

  private static double firstGemmMillis(boolean start) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Probe.class.getName(), Boolean.toString(start))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String last = out.substring(out.lastIndexOf('\n') + 1);
    return Double.parseDouble(last);
  }

  /** Prints how long the process's first gemm took, after {@link NativeStart#run} when asked. */
  static final class Probe {
    public static void main(String[] args) {
      if (Boolean.parseBoolean(args[0])) {
        NativeStart.run();
      } else {
        OpThreads.applyToCurrentThread();
      }
      try (FloatPointer a = new FloatPointer(16 * 16); FloatPointer c = new FloatPointer(16 * 16)) {
        long t = System.nanoTime();
        Blas.gemm(false, true, 16, 16, 16, a, 16, a, 16, 0f, c, 16);
        System.out.println((System.nanoTime() - t) / 1e6);
      }
    }
  }
}
