package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.data.Database;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import org.kaffee.testing.SilentLog;

/**
 * Numbers at the edges: huge losses with clip_gradients and iter_size, labels out of range, test
 * batches that do not divide the test set.
 */
@ExtendWith(SilentLog.class)
class EdgeNumbersTest {
  /** Inputs of 1e9 against targets of 0: a loss near 1e18, weight gradients near 1e18. */
  private static final String HUGE = "name: 'huge' layer { name: 'data' type: 'DummyData' top: 'data'"
      + " top: 'target' dummy_data_param { shape { dim: 4 dim: 3 } shape { dim: 4 dim: 2 }"
      + " data_filler { type: 'constant' value: %s } data_filler { type: 'constant' value: 0 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'"
      + " inner_product_param { num_output: 2 weight_filler { type: 'gaussian' std: 1 } } }"
      + " layer { name: 'loss' type: 'EuclideanLoss' bottom: 'ip' bottom: 'target' top: 'loss' }";
  private static final String LABELS = "name: 'labels' layer { name: 'data' type: 'DummyData'"
      + " top: 'data' top: 'label' dummy_data_param { shape { dim: 3 dim: 4 } shape { dim: 3 }"
      + " data_filler { type: 'constant' value: 1 } data_filler { type: 'constant' value: 12 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip'"
      + " inner_product_param { num_output: 10 } }"
      + " layer { name: 'loss' type: 'SoftmaxWithLoss' bottom: 'ip' bottom: 'label' top: 'loss' }";

  private static Solver solver(String net, String extra) {
    return Solvers.create(ProtoFiles.parseText("net_param { " + net + " } base_lr: 0.1"
        + " lr_policy: 'fixed' random_seed: 1 " + extra, "edge_solver",
        SolverParameter.newBuilder()).build());
  }

  private static float[] weights(Solver solver) {
    Blob w = solver.net().learnableParams().get(0);
    float[] out = new float[w.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) w.dataView().get(i);
    }
    return out;
  }

  @Test
  void clipGradientsKeepsEachStepWithinTheClipDespiteAHugeLoss() {
    Solver solver = solver(HUGE.formatted("1e9"), "clip_gradients: 1");
    for (int step = 0; step < 5; step++) {
      float[] before = weights(solver);
      solver.step(1);
      float[] after = weights(solver);
      double moved = 0;
      for (int i = 0; i < before.length; i++) {
        assertTrue(Float.isFinite(after[i]), "weight " + i + " is " + after[i]);
        moved += (after[i] - before[i]) * (double) (after[i] - before[i]);
      }
      // every param together moves by at most lr * clip; the weights alone by no more
      assertTrue(Math.sqrt(moved) <= 0.1 * 1.0001, "step " + step + " moved " + Math.sqrt(moved));
      assertTrue(Math.sqrt(moved) > 0.05, "the clipped step vanished: " + Math.sqrt(moved));
    }
    solver.close();
  }

  @Test
  void withoutClippingTheHugeLossStopsTrainingWithTheIterationAndLayer() {
    Solver solver = solver(HUGE.formatted("1e9"), "");
    KaffeeException e = assertThrows(KaffeeException.class, () -> solver.step(10));
    // the first step moves the weights by 1e17; the next loss overflows float
    assertTrue(e.getMessage().startsWith("iteration 1: the loss is inf; first non-finite output:"
        + " top 'loss' of layer 'loss' (EuclideanLoss)"), e.getMessage());
    solver.close();
  }

  @Test
  void iterSizeAccumulatingPastFloatRangeStopsWithTheIteration() {
    // each forward's loss is near float's limit; four of them overflow it
    Solver solver = solver(HUGE.formatted("1.5e19"), "iter_size: 4");
    KaffeeException e = assertThrows(KaffeeException.class, () -> solver.step(1));
    assertTrue(e.getMessage().startsWith("iteration 0: the loss is"), e.getMessage());
    solver.close();
  }

  @Test
  void testBatchesThatDoNotDivideTheSetWrapAroundToTheFirstEntry(@TempDir Path tmp) {
    Path db = tmp.resolve("five");
    try (Database out = Database.open("lmdb", db, Database.Mode.NEW)) {
      for (int i = 0; i < 5; i++) {
        out.put(String.format("%08d", i).getBytes(StandardCharsets.US_ASCII), Datum.newBuilder()
            .setChannels(1).setHeight(1).setWidth(1).setData(ByteString.copyFrom(new byte[] {(byte) i}))
            .setLabel(i).build().toByteArray());
      }
      out.commit();
    }
    String net = "name: 'wrap' state { phase: TEST } layer { name: 'data' type: 'Data' top: 'data'"
        + " top: 'label' data_param { source: '" + db + "' backend: LMDB batch_size: 2 } }";
    try (Net test = new Net(ProtoFiles.parseText(net, "wrap", NetParameter.newBuilder()).build())) {
      float[][] expected = {{0, 1}, {2, 3}, {4, 0}, {1, 2}};
      for (float[] batch : expected) {
        test.forward();
        Blob label = test.blobByName("label");
        assertEquals(batch[0], label.dataView().get(0));
        assertEquals(batch[1], label.dataView().get(1));
      }
    }
  }

  @Test
  void aLabelOutOfRangeNamesTheLabelTheBatchItemAndTheLayer() {
    Solver solver = solver(LABELS, "");
    KaffeeException e = assertThrows(KaffeeException.class, () -> solver.step(1));
    String m = e.getMessage();
    assertTrue(m.contains("layer loss (SoftmaxWithLoss)") && m.contains("label 12 of batch item 0")
        && m.contains("[0, 10)"), m);
    solver.close();
  }
}
