package org.kaffee.data;

import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.DistortionParameter;

/**
 * SSD's distort_param (the fork's ApplyDistort): with even odds one of two orders, brightness,
 * contrast, saturation, hue, channel order or brightness, saturation, hue, contrast, channel
 * order; each step happens with its probability and draws its amount uniformly from its range.
 * Brightness adds, contrast multiplies every byte; saturation and hue scale S and shift H in
 * OpenCV's 8-bit HSV ({@link Hsv}); the channel-order step permutes B, G, R.
 */
public final class PhotometricDistortion {
  private PhotometricDistortion() {
  }

  /** Rejects what the fork CHECKs, and colour steps on gray images, naming the owner. */
  public static void check(DistortionParameter p, int channels, String owner) {
    KaffeeException.check(p.getBrightnessDelta() >= 0, "%s: distort_param.brightness_delta must be non-negative",
        owner);
    KaffeeException.check(p.getHueDelta() >= 0, "%s: distort_param.hue_delta must be non-negative", owner);
    KaffeeException.check(p.getContrastLower() >= 0 && p.getContrastUpper() >= p.getContrastLower(),
        "%s: distort_param needs 0 <= contrast_lower <= contrast_upper", owner);
    KaffeeException.check(p.getSaturationLower() >= 0 && p.getSaturationUpper() >= p.getSaturationLower(),
        "%s: distort_param needs 0 <= saturation_lower <= saturation_upper", owner);
    KaffeeException.check(channels == 3 || (p.getSaturationProb() <= 0 && p.getHueProb() <= 0
        && p.getRandomOrderProb() <= 0), "%s: distort_param's saturation, hue and random_order need colour images, "
        + "the data has %d channel(s)", owner, channels);
  }

  /** A distorted copy of {@code img}. */
  public static Image apply(Image img, DistortionParameter p, Random rng) {
    byte[] px = img.pixels.clone();
    int n = img.height * img.width;
    boolean contrastFirst = Draws.uniform(rng, 0f, 1f) > 0.5f;
    brightness(px, p, rng);
    if (contrastFirst) {
      contrast(px, p, rng);
    }
    saturation(px, n, p, rng);
    hue(px, n, p, rng);
    if (!contrastFirst) {
      contrast(px, p, rng);
    }
    channelOrder(px, n, p, rng);
    return new Image(img.channels, img.height, img.width, px);
  }

  private static void brightness(byte[] px, DistortionParameter p, Random rng) {
    if (Draws.uniform(rng, 0f, 1f) < p.getBrightnessProb()) {
      float delta = Draws.uniform(rng, -p.getBrightnessDelta(), p.getBrightnessDelta());
      if (Math.abs(delta) > 0) {
        Pixels.scale(px, 0, px.length, 1f, delta);
      }
    }
  }

  private static void contrast(byte[] px, DistortionParameter p, Random rng) {
    if (Draws.uniform(rng, 0f, 1f) < p.getContrastProb()) {
      float delta = Draws.uniform(rng, p.getContrastLower(), p.getContrastUpper());
      if (Math.abs(delta - 1f) > 1e-3) {
        Pixels.scale(px, 0, px.length, delta, 0f);
      }
    }
  }

  /** Scales S; the fork's guard compares |delta - 1| with 1e-3 by inequality, so it always converts. */
  private static void saturation(byte[] px, int n, DistortionParameter p, Random rng) {
    if (Draws.uniform(rng, 0f, 1f) < p.getSaturationProb()) {
      float delta = Draws.uniform(rng, p.getSaturationLower(), p.getSaturationUpper());
      Hsv.fromBgr(px, n);
      Pixels.scale(px, n, 2 * n, delta, 0f);
      Hsv.toBgr(px, n);
    }
  }

  private static void hue(byte[] px, int n, DistortionParameter p, Random rng) {
    if (Draws.uniform(rng, 0f, 1f) < p.getHueProb()) {
      float delta = Draws.uniform(rng, -p.getHueDelta(), p.getHueDelta());
      if (Math.abs(delta) > 0) {
        Hsv.fromBgr(px, n);
        Pixels.scale(px, 0, n, 1f, delta);
        Hsv.toBgr(px, n);
      }
    }
  }

  /** A random permutation of the three planes (the fork shuffles with std::random_shuffle). */
  private static void channelOrder(byte[] px, int n, DistortionParameter p, Random rng) {
    if (Draws.uniform(rng, 0f, 1f) < p.getRandomOrderProb()) {
      byte[] planes = px.clone();
      int[] order = {0, 1, 2};
      for (int i = 2; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int c = 0; c < 3; c++) {
        System.arraycopy(planes, order[c] * n, px, c * n, n);
      }
    }
  }
}
