package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.nd4j.linalg.factory.Nd4j;

/** The op thread count reaches the thread that runs a net, whichever thread that is. */
class OpThreadsTest {
  private static final String NET = "name: 'threads' force_backward: true"
      + " layer { name: 'in' type: 'Input' top: 'x' input_param { shape { dim: 2 dim: 3 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'x' top: 'y'"
      + "   inner_product_param { num_output: 4 weight_filler { type: 'xavier' } } }";

  /** What a fresh thread sees before and after running a net: OpenMP threads, BLAS threads. */
  private record Seen(int openMpBefore, int openMpAfter, int blasAfter, int masterAfter) {
  }

  private static Seen runNetOnFreshThread() throws InterruptedException {
    AtomicReference<Seen> seen = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      PrintStream log = Glog.output();
      Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
      try (Net net = new Net(ProtoFiles.parseText(NET, "threads", NetParameter.newBuilder()).build())) {
        int before = OpThreads.currentThreadOpenMpThreads();
        net.forward();
        net.backward();
        seen.set(new Seen(before, OpThreads.currentThreadOpenMpThreads(),
            Nd4j.factory().blas().getMaxThreads(), Nd4j.getEnvironment().maxMasterThreads()));
      } catch (Throwable e) {
        failure.set(e);
      } finally {
        Glog.setOutput(log);
      }
    }, "net-runner");
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("running the net failed", failure.get());
    }
    return seen.get();
  }

  @Test
  void aThreadRunningANetUsesTheConfiguredOpThreads() throws InterruptedException {
    Seen seen = runNetOnFreshThread();
    assertEquals(OpThreads.count(), seen.openMpAfter(), "OpenMP threads on the net's thread");
    assertEquals(OpThreads.count(), seen.blasAfter(), "BLAS threads");
    assertEquals(OpThreads.count(), seen.masterAfter(), "libnd4j loop threads");
  }

  @Test
  void theSettingIsPerThreadSoEachNetThreadAppliesIt() throws InterruptedException {
    runNetOnFreshThread();
    // A thread that has run no net keeps OpenMP's process default (OMP_NUM_THREADS or the
    // cores): only the net's own pass can have set the count on a new thread.
    int processDefault = processDefaultOpenMpThreads();
    Seen second = runNetOnFreshThread();
    assertEquals(processDefault, second.openMpBefore(), "a new thread starts from OpenMP's default");
    assertEquals(OpThreads.count(), second.openMpAfter());
  }

  private static int processDefaultOpenMpThreads() throws InterruptedException {
    int[] n = new int[1];
    Thread t = new Thread(() -> n[0] = OpThreads.currentThreadOpenMpThreads());
    t.start();
    t.join();
    assertTrue(n[0] >= 1);
    return n[0];
  }

  @Test
  void parsesTheVariable() {
    assertEquals(1, OpThreads.parse(null));
    assertEquals(1, OpThreads.parse(" "));
    assertEquals(3, OpThreads.parse(" 3 "));
    KaffeeException e = assertThrows(KaffeeException.class, () -> OpThreads.parse("two"));
    assertEquals("KAFFEE_OP_THREADS must be a positive number of threads, got \"two\"", e.getMessage());
    assertThrows(KaffeeException.class, () -> OpThreads.parse("0"));
  }
}
