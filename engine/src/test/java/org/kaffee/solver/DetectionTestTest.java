package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.testing.LogCapture;

/** SSD's solver test: eval_type "detection" turns DetectionEvaluate's rows into a logged mAP. */
class DetectionTestTest {
  private static final String TRAIN = "layer { name: 'data' type: 'DummyData' top: 'data' top: 'target'"
      + " dummy_data_param { shape { dim: 1 dim: 2 } shape { dim: 1 dim: 1 } } }"
      + " layer { name: 'ip' type: 'InnerProduct' bottom: 'data' top: 'ip' inner_product_param { num_output: 1 } }"
      + " layer { name: 'loss' type: 'EuclideanLoss' bottom: 'ip' bottom: 'target' top: 'loss' }";
  private static final float[] A = {0.1f, 0.1f, 0.4f, 0.4f};
  private static final float[] B = {0.5f, 0.5f, 0.9f, 0.9f};
  private static final float[] ELSEWHERE = {0.6f, 0.0f, 0.9f, 0.2f};

  private static float[] det(float score, float[] box) {
    return new float[] {0, 1, score, box[0], box[1], box[2], box[3]};
  }

  private static float[] gt(float[] box) {
    return new float[] {0, 1, 0, box[0], box[1], box[2], box[3], 0};
  }

  /**
   * Two test batches of one image each, class 1 only. Batch 0: truth A, detections 0.9 elsewhere
   * and 0.8 on A; batch 1: truth B, a detection 0.85 on B (and DetectionOutput's empty row).
   * Ranked over both: miss, hit, hit of 2 boxes.
   */
  private static Path writeRows(Path dir) throws Exception {
    Path file = dir.resolve("rows.h5");
    float[] none = {0, -1, -1, -1, -1, -1, -1};
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      h5.putDataset("det", new float[][][][] {{{det(0.9f, ELSEWHERE), det(0.8f, A)}},
          {{det(0.85f, B), none}}});
      h5.putDataset("gt", new float[][][][] {{{gt(A)}}, {{gt(B)}}});
    }
    Path list = dir.resolve("rows.txt");
    Files.writeString(list, file + "\n");
    return list;
  }

  private static String test(Path list, String solverText) throws Exception {
    String testNet = "layer { name: 'rows' type: 'HDF5Data' top: 'det' top: 'gt'"
        + " hdf5_data_param { source: '" + list + "' batch_size: 1 } }"
        + " layer { name: 'eval' type: 'DetectionEvaluate' bottom: 'det' bottom: 'gt' top: 'detection_eval'"
        + " detection_evaluate_param { num_classes: 2 background_label_id: 0 } }";
    SolverParameter param = ProtoFiles.parseText("train_net_param { " + TRAIN + " } test_net_param { "
        + testNet + " } test_iter: 2 test_interval: 100 base_lr: 0.1 lr_policy: 'fixed' " + solverText,
        "ssd_solver.prototxt", SolverParameter.newBuilder()).build();
    return LogCapture.during(() -> {
      Solver solver = Solvers.create(param);
      try {
        solver.testAll();
      } finally {
        solver.close();
      }
    });
  }

  private static double mAP(String log) {
    Matcher m = Pattern.compile("Test net output #0: detection_eval = (\\S+)").matcher(log);
    assertTrue(m.find(), log);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theSolverLogsTheMeanAveragePrecisionOfTheChosenVersion(@TempDir Path dir) throws Exception {
    Path list = writeRows(dir);
    // precision 0, 1/2, 2/3 at recall 0, 1/2, 1
    assertEquals(0.5 * 0.5 + 2.0 / 3 * 0.5,
        mAP(test(list, "eval_type: 'detection' ap_version: 'Integral'")), 1e-6);
    assertEquals(2.0 / 3, mAP(test(list, "eval_type: 'detection' ap_version: '11point'")), 1e-6);
    String perClass = test(list, "eval_type: 'detection' ap_version: 'MaxIntegral' show_per_class_result: true");
    assertTrue(perClass.contains("class1: 0.666667"), perClass);
  }

  @Test
  void classificationStaysTheMeanOfTheOutputs(@TempDir Path dir) throws Exception {
    String log = test(writeRows(dir), "");
    assertTrue(log.contains("Test net output #0: detection_eval = -1"), log);
  }

  @Test
  void anUnknownEvalTypeOrApVersionFailsBeforeTraining(@TempDir Path dir) throws Exception {
    Path list = writeRows(dir);
    KaffeeException e = assertThrows(KaffeeException.class, () -> test(list, "eval_type: 'segmentation'"));
    assertEquals("unknown eval_type \"segmentation\": expected classification or detection", e.getMessage());
    assertThrows(KaffeeException.class, () -> test(list, "eval_type: 'detection' ap_version: 'VOC'"));
  }
}
