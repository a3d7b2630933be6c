package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BatchSampler;
import org.kaffee.proto.Caffe.SampleConstraint;
import org.kaffee.proto.Caffe.Sampler;

/** SSD's batch sampler: every kept sample lies in the image and meets its sampler's constraint. */
class BatchSamplingTest {
  private static final List<NormBox> OBJECTS = List.of(new NormBox(0.1f, 0.1f, 0.4f, 0.5f, false),
      new NormBox(0.5f, 0.6f, 0.9f, 0.95f, false), new NormBox(0.3f, 0.2f, 0.7f, 0.6f, false));

  private static BatchSampler sampler(SampleConstraint.Builder c, int maxSample) {
    return BatchSampler.newBuilder().setSampler(Sampler.newBuilder().setMinScale(0.3f).setMaxScale(1)
        .setMinAspectRatio(0.5f).setMaxAspectRatio(2)).setSampleConstraint(c).setMaxSample(maxSample)
        .setMaxTrials(50).build();
  }

  /** Intersection over union, written out here rather than taken from NormBox. */
  private static double iou(NormBox a, NormBox b) {
    double w = Math.min(a.xmax(), b.xmax()) - Math.max(a.xmin(), b.xmin());
    double h = Math.min(a.ymax(), b.ymax()) - Math.max(a.ymin(), b.ymin());
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = w * h;
    double sa = (a.xmax() - a.xmin()) * (a.ymax() - a.ymin());
    double sb = (b.xmax() - b.xmin()) * (b.ymax() - b.ymin());
    return inter / (sa + sb - inter);
  }

  private static double covered(NormBox object, NormBox by) {
    double w = Math.min(object.xmax(), by.xmax()) - Math.max(object.xmin(), by.xmin());
    double h = Math.min(object.ymax(), by.ymax()) - Math.max(object.ymin(), by.ymin());
    return w <= 0 || h <= 0 ? 0 : w * h / ((object.xmax() - object.xmin()) * (object.ymax() - object.ymin()));
  }

  @Test
  void everySampleMeetsItsJaccardBoundsAndLiesInTheImage() {
    Random rng = new Random(1);
    List<BatchSampler> samplers = List.of(sampler(SampleConstraint.newBuilder().setMinJaccardOverlap(0.5f), 1),
        sampler(SampleConstraint.newBuilder().setMinJaccardOverlap(0.1f).setMaxJaccardOverlap(0.3f), 3));
    int total = 0;
    for (int round = 0; round < 50; round++) {
      List<NormBox> samples = BatchSampling.generate(samplers, OBJECTS, rng);
      assertTrue(samples.size() <= 4, "max_sample: " + samples.size());
      for (NormBox s : samples) {
        assertTrue(s.xmin() >= 0 && s.ymin() >= 0 && s.xmax() <= 1.0001f && s.ymax() <= 1.0001f, s.toString());
        assertTrue(OBJECTS.stream().anyMatch(o -> iou(s, o) >= 0.5 - 1e-6)
            || OBJECTS.stream().anyMatch(o -> iou(s, o) >= 0.1 - 1e-6 && iou(s, o) <= 0.3 + 1e-6), s.toString());
        double w = s.xmax() - s.xmin();
        double h = s.ymax() - s.ymin();
        assertTrue(Math.sqrt(w * h) >= 0.3 - 1e-5 && Math.sqrt(w * h) <= 1 + 1e-5, "scale of " + s);
      }
      total += samples.size();
    }
    assertTrue(total > 50, "samples kept: " + total);
  }

  @Test
  void oneObjectMustMeetEveryBound() {
    Random rng = new Random(2);
    // object coverage >= 0.9 and overlap <= 0.2: only a small object inside a large sample does both
    SampleConstraint.Builder c = SampleConstraint.newBuilder().setMaxJaccardOverlap(0.2f).setMinObjectCoverage(0.9f);
    List<BatchSampler> samplers = List.of(sampler(c, 100));
    int kept = 0;
    for (int round = 0; round < 30; round++) {
      for (NormBox s : BatchSampling.generate(samplers, OBJECTS, rng)) {
        assertTrue(OBJECTS.stream().anyMatch(o -> iou(s, o) <= 0.2 + 1e-6 && covered(o, s) >= 0.9 - 1e-6),
            s.toString());
        kept++;
      }
    }
    assertTrue(kept > 0);
  }

  @Test
  void noConstraintKeepsEveryTrialUpToMaxSample() {
    assertEquals(7, BatchSampling.generate(List.of(sampler(SampleConstraint.newBuilder(), 7)), OBJECTS,
        new Random(3)).size());
    assertFalse(BatchSampling.satisfies(new NormBox(0, 0, 0.1f, 0.1f, false), OBJECTS,
        SampleConstraint.newBuilder().setMinJaccardOverlap(0.5f).build()));
  }

  @Test
  void impossibleRangesAreRefused() {
    BatchSampler bad = BatchSampler.newBuilder().setSampler(Sampler.newBuilder().setMinScale(0.5f).setMaxScale(0.4f))
        .build();
    KaffeeException e = assertThrows(KaffeeException.class, () -> BatchSampling.check(List.of(bad), "layer d"));
    assertEquals("layer d: batch_sampler 1: needs 0 < min_scale <= max_scale <= 1, got 0.5 and 0.4", e.getMessage());
  }
}
