package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.testing.SilentLog;

/** The solver facade pycaffe drives: its nets, apply_update without a step, callbacks, snapshots. */
@ExtendWith(SilentLog.class)
class TrainerTest {
  @TempDir
  Path dir;

  private SolverParameter solver(String extra) throws Exception {
    return TextFormat.parse("""
        net_param { name: "tiny"
          layer { name: "data" type: "DummyData" top: "data" top: "label"
            dummy_data_param { shape { dim: 4 dim: 3 } shape { dim: 4 }
              data_filler { type: "gaussian" std: 1 } data_filler { type: "constant" value: 1 } } }
          layer { name: "ip" type: "InnerProduct" bottom: "data" top: "ip"
            inner_product_param { num_output: 2 weight_filler { type: "gaussian" std: 1 } } }
          layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip" bottom: "label" top: "loss" } }
        base_lr: 0.1 lr_policy: "fixed" max_iter: 3 snapshot_after_train: false random_seed: 1701
        snapshot_prefix: "%s" %s
        """.formatted(dir.resolve("s"), extra), SolverParameter.class);
  }

  @Test
  void applyUpdateChangesTheWeightsAndNotTheIteration() throws Exception {
    Trainer trainer = Trainer.open(solver(""));
    BlobHandle weights = trainer.net().layers().get(1).blobs().get(0);
    for (int i = 0; i < weights.count(); i++) {
      weights.data().put(i, 0f);
      weights.diff().put(i, 1f);
    }
    trainer.applyUpdate();
    assertEquals(0, trainer.iter());
    assertEquals(-0.1f, weights.data().get(0), 1e-7f);
  }

  @Test
  void callbacksRunAtEveryIterationStartAndBeforeTheUpdate() throws Exception {
    Trainer trainer = Trainer.open(solver(""));
    List<String> calls = new ArrayList<>();
    trainer.addCallback(new Solver.Callback() {
      @Override
      public void onStart() {
        calls.add("start " + trainer.iter());
      }

      @Override
      public void onGradients() {
        calls.add("gradients " + trainer.iter());
      }
    });
    trainer.step(2);
    assertEquals(List.of("start 0", "gradients 0", "start 1", "gradients 1"), calls);
    assertEquals(2, trainer.iter());
  }

  @Test
  void valuesWrittenIntoTheNetAreWhatTheSolverTrainsOn() throws Exception {
    Trainer trainer = Trainer.open(solver(""));
    BlobHandle label = trainer.net().blobHandle("label");
    label.data().put(0, 0f);  // a constant DummyData top keeps what callers write
    trainer.step(1);
    assertEquals(0f, label.data().get(0));
    assertEquals(1f, label.data().get(1));
  }

  @Test
  void theTypeCanBeForcedAndSnapshotsAreWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("solver.prototxt"), TextFormat.printer().printToString(solver("")));
    Trainer adam = Trainer.open(file, "Adam");
    assertEquals("Adam", adam.type());
    adam.step(1);
    adam.snapshot();
    assertTrue(Files.isRegularFile(dir.resolve("s_iter_1.caffemodel")));
    Trainer resumed = Trainer.open(file, "Adam");
    resumed.restore(dir.resolve("s_iter_1.solverstate"));
    assertEquals(1, resumed.iter());
    assertEquals(SolverParameter.parseFrom(adam.param()).getBaseLr(), 0.1f);
  }
}
