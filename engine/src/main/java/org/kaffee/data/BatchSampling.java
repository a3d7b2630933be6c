package org.kaffee.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BatchSampler;
import org.kaffee.proto.Caffe.SampleConstraint;
import org.kaffee.proto.Caffe.Sampler;

/**
 * SSD's batch sampler (the fork's sampler.cpp): each {@code batch_sampler} draws up to
 * {@code max_trials} boxes of random scale and aspect ratio and keeps those that satisfy its
 * {@code sample_constraint} with at least one object, until it has {@code max_sample}. The data
 * layer then crops the image to one of all the kept boxes.
 */
public final class BatchSampling {
  private BatchSampling() {
  }

  /** Rejects the ranges the fork CHECKs, naming the sampler. */
  public static void check(List<BatchSampler> samplers, String owner) {
    for (int i = 0; i < samplers.size(); i++) {
      Sampler s = samplers.get(i).getSampler();
      String what = owner + ": batch_sampler " + (i + 1);
      KaffeeException.check(s.getMinScale() > 0 && s.getMinScale() <= s.getMaxScale() && s.getMaxScale() <= 1,
          "%s: needs 0 < min_scale <= max_scale <= 1, got %s and %s", what, s.getMinScale(), s.getMaxScale());
      KaffeeException.check(s.getMinAspectRatio() > 0 && s.getMinAspectRatio() <= s.getMaxAspectRatio()
          && s.getMaxAspectRatio() < Float.MAX_VALUE,
          "%s: needs 0 < min_aspect_ratio <= max_aspect_ratio, got %s and %s", what, s.getMinAspectRatio(),
          s.getMaxAspectRatio());
    }
  }

  /** The boxes every sampler kept, in sampler order (GenerateBatchSamples). */
  public static List<NormBox> generate(List<BatchSampler> samplers, List<NormBox> objects, Random rng) {
    List<NormBox> out = new ArrayList<>();
    for (BatchSampler b : samplers) {
      if (!b.getUseOriginalImage()) {
        continue;
      }
      int found = 0;
      for (int trial = 0; trial < b.getMaxTrials(); trial++) {
        if (b.hasMaxSample() && found >= b.getMaxSample()) {
          break;
        }
        NormBox sampled = NormBox.UNIT.locate(sample(b.getSampler(), rng));
        if (satisfies(sampled, objects, b.getSampleConstraint())) {
          found++;
          out.add(sampled);
        }
      }
    }
    return out;
  }

  /**
   * One random box inside the unit square (SampleBBox): a scale and an aspect ratio drawn from
   * their ranges, the ratio kept within [scale^2, 1/scale^2] so the box fits, then its corner.
   */
  static NormBox sample(Sampler s, Random rng) {
    float scale = Draws.uniform(rng, s.getMinScale(), s.getMaxScale());
    float ratio = Draws.uniform(rng, s.getMinAspectRatio(), s.getMaxAspectRatio());
    ratio = Math.max(ratio, (float) Math.pow(scale, 2.));
    ratio = Math.min(ratio, (float) (1 / Math.pow(scale, 2.)));
    float w = (float) (scale * Math.sqrt(ratio));
    float h = (float) (scale / Math.sqrt(ratio));
    float wOff = Draws.uniform(rng, 0f, 1 - w);
    float hOff = Draws.uniform(rng, 0f, 1 - h);
    return new NormBox(wOff, hOff, wOff + w, hOff + h, false);
  }

  /**
   * Whether some object meets every bound the constraint sets (SatisfySampleConstraint): the
   * Jaccard overlap with the sample, the part of the sample it covers and the part of it the
   * sample covers. A constraint with no bounds accepts every sample. (The fork's loop keeps a
   * "found" flag across objects, so with bounds of two kinds it accepts an object that passes
   * the first kind only; Kaffee requires one object to pass all of them, which is what the
   * constraint says and the same when, as in SSD's recipes, a sampler bounds one kind.)
   */
  public static boolean satisfies(NormBox sampled, List<NormBox> objects, SampleConstraint c) {
    boolean jaccard = c.hasMinJaccardOverlap() || c.hasMaxJaccardOverlap();
    boolean sampleCoverage = c.hasMinSampleCoverage() || c.hasMaxSampleCoverage();
    boolean objectCoverage = c.hasMinObjectCoverage() || c.hasMaxObjectCoverage();
    if (!jaccard && !sampleCoverage && !objectCoverage) {
      return true;
    }
    for (NormBox object : objects) {
      if (jaccard && !within(sampled.jaccard(object), c.hasMinJaccardOverlap(), c.getMinJaccardOverlap(),
          c.hasMaxJaccardOverlap(), c.getMaxJaccardOverlap())) {
        continue;
      }
      if (sampleCoverage && !within(sampled.coveredBy(object), c.hasMinSampleCoverage(), c.getMinSampleCoverage(),
          c.hasMaxSampleCoverage(), c.getMaxSampleCoverage())) {
        continue;
      }
      if (objectCoverage && !within(object.coveredBy(sampled), c.hasMinObjectCoverage(), c.getMinObjectCoverage(),
          c.hasMaxObjectCoverage(), c.getMaxObjectCoverage())) {
        continue;
      }
      return true;
    }
    return false;
  }

  private static boolean within(float v, boolean hasMin, float min, boolean hasMax, float max) {
    return !(hasMin && v < min) && !(hasMax && v > max);
  }
}
