package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.testing.SilentLog;

/** Net.close(): the prefetch thread, the database and the activations' memory go at once. */
@ExtendWith(SilentLog.class)
class NetCloseTest {
  private static final Path LMDB = Path.of("engine/src/test/resources/conformance/data/images_db/lmdb_gray");
  private static final String NET = "name: 'closing' state { phase: TEST }"
      + " layer { name: 'data' type: 'Data' top: 'data' top: 'label'"
      + "   data_param { source: '" + LMDB + "' backend: LMDB batch_size: 4 } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'"
      + "   inner_product_param { num_output: 10 weight_filler { type: 'xavier' } } }"
      + " layer { name: 'loss' type: 'SoftmaxWithLoss' bottom: 'ip' bottom: 'label' top: 'loss' }";

  private static final NetParameter PARAM = ProtoFiles.parseText(NET, "closing",
      NetParameter.newBuilder()).build();

  private static Net openRunClose() {
    Net net = new Net(PARAM);
    net.forward();
    net.close();
    return net;
  }

  /** Just the Data layer: opening starts its prefetch thread and maps the database. */
  private static final NetParameter DATA_ONLY = PARAM.toBuilder().clearLayer()
      .addLayer(PARAM.getLayer(0)).build();

  private static void openClose() {
    new Net(DATA_ONLY).close();
  }

  private static long prefetchThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("prefetch-")).count();
  }

  /** Native bytes still allocated once the collector ran (JavaCPP tracks ND4J's buffers). */
  private static long nativeBytes() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return Pointer.totalBytes();
  }

  @Test
  void closingStopsThePrefetchThreadAndFreesTheActivations() {
    long before = prefetchThreads();
    Net net = openRunClose();
    assertEquals(before, prefetchThreads(), "the prefetch thread outlived close()");
    for (Blob blob : net.blobs()) {
      assertNull(blob.data(), "an activation blob kept its memory");
    }
  }

  @Test
  void aThousandNetsOpenedAndClosedLeaveNothingBehind() throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      openClose();
    }
    // other tests in this JVM may leave their own nets' prefetch threads running: count from here
    long prefetching = prefetchThreads();
    long threads = Thread.activeCount();
    long bytes = nativeBytes();
    long heap = usedHeap();
    for (int i = 0; i < 1000; i++) {
      openClose();
    }
    assertEquals(prefetching, prefetchThreads(), "prefetch threads outlived close()");
    assertTrue(Thread.activeCount() <= threads + 2,
        "threads grew from " + threads + " to " + Thread.activeCount());
    long grown = nativeBytes() - bytes;
    assertTrue(grown < 4 << 20, "native memory grew by " + grown + " bytes over 1000 nets");
    long heapGrown = usedHeap() - heap;
    assertTrue(heapGrown < 32 << 20, "heap grew by " + heapGrown + " bytes over 1000 nets");
  }

  @Test
  void aClosedNetNoLongerRuns() {
    Net net = openRunClose();
    assertThrows(KaffeeException.class, net::forward);
  }

  private static long usedHeap() throws InterruptedException {
    nativeBytes();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
