package org.kaffee.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.layers.detection.AveragePrecision;
import org.kaffee.layers.detection.AveragePrecision.Hit;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * SSD's detection test (weiliu89/caffe Solver::TestDetection): each output blob holds
 * DetectionEvaluate's rows, {@code -1, label, positives, -1, -1} or {@code image, label, score,
 * tp, fp}; over the batches it gathers each class's ground-truth count and ranked hits, and logs
 * the mean over the classes with ground truth of their average precision (ap_version).
 */
final class DetectionTestOutputs implements TestOutputs {
  private final Net testNet;
  private final AveragePrecision.Version version;
  private final boolean perClass;
  /** Per output blob: label to ground-truth count, and label to hits. */
  private final List<Map<Integer, Integer>> positives = new ArrayList<>();
  private final List<Map<Integer, List<Hit>>> hits = new ArrayList<>();

  DetectionTestOutputs(Net testNet, SolverParameter param) {
    this.testNet = testNet;
    this.version = AveragePrecision.Version.named(param.getApVersion());
    this.perClass = param.getShowPerClassResult();
  }

  @Override
  public void add(List<Blob> outputs) {
    for (int j = 0; j < outputs.size(); j++) {
      Blob out = outputs.get(j);
      KaffeeException.check(out.numAxes() >= 1 && out.shape(out.numAxes() - 1) == 5,
          "eval_type detection: test output %s must be DetectionEvaluate's rows of 5, got %s",
          testNet.outputBlobNames().get(j), out.shapeString());
      if (positives.size() <= j) {
        positives.add(new TreeMap<>());
        hits.add(new TreeMap<>());
      }
      float[] rows = NetOutputs.values(out);
      for (int k = 0; k < rows.length / 5; k++) {
        addRow(j, rows, k * 5);
      }
    }
  }

  private void addRow(int output, float[] rows, int at) {
    int label = (int) rows[at + 1];
    if ((int) rows[at] == -1) {
      positives.get(output).merge(label, (int) rows[at + 2], Integer::sum);
      return;
    }
    int tp = (int) rows[at + 3];
    int fp = (int) rows[at + 4];
    if (tp == 0 && fp == 0) { // matched a difficult box that is not evaluated
      return;
    }
    hits.get(output).computeIfAbsent(label, k -> new ArrayList<>()).add(new Hit(rows[at + 2], tp == 1));
  }

  @Override
  public void log(int batches) {
    for (int j = 0; j < positives.size(); j++) {
      float sum = 0;
      for (Map.Entry<Integer, Integer> e : positives.get(j).entrySet()) {
        List<Hit> labelHits = hits.get(j).get(e.getKey());
        if (labelHits == null) {
          Glog.warn("Missing true_pos for label: %d", e.getKey());
          continue;
        }
        float ap = AveragePrecision.of(labelHits, e.getValue(), version);
        sum += ap;
        if (perClass) {
          Glog.info("class%d: %s", e.getKey(), CppFloat.format(ap));
        }
      }
      float mAP = sum / positives.get(j).size();
      Glog.info("    Test net output #%d: %s = %s", j, testNet.outputBlobNames().get(j), CppFloat.format(mAP));
    }
  }
}
