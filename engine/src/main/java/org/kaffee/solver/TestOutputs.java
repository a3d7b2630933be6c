package org.kaffee.solver;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.layers.detection.AveragePrecision;
import org.kaffee.proto.Caffe.SolverParameter;

/**
 * What a test pass adds up over its test_iter batches and logs as {@code Test net output #i}:
 * the mean of every output value (BVLC), or, for SSD's {@code eval_type: "detection"}, the mean
 * average precision of DetectionEvaluate's rows.
 */
interface TestOutputs {
  /** Adds one batch's output blobs. */
  void add(List<Blob> outputs);

  /** Logs the outputs after {@code batches} batches. */
  void log(int batches);

  /** Fails at start-up, not at the first test, on an unknown eval_type or ap_version. */
  static void check(SolverParameter param) {
    KaffeeException.check(param.getEvalType().equals("classification") || param.getEvalType().equals("detection"),
        "unknown eval_type \"%s\": expected classification or detection", param.getEvalType());
    AveragePrecision.Version.named(param.getApVersion());
  }

  static TestOutputs of(SolverParameter param, Net testNet) {
    return param.getEvalType().equals("detection") ? new DetectionTestOutputs(testNet, param)
        : new MeanTestOutputs(testNet);
  }
}
