package org.kaffee.data;

import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.ResizeParameter;
import org.kaffee.proto.Caffe.ResizeParameter.Interp_mode;
import org.kaffee.proto.Caffe.ResizeParameter.Resize_mode;

/**
 * SSD's resize_param (the fork's im_transforms.cpp): WARP to height x width,
 * FIT_LARGE_SIZE_AND_PAD (keep the aspect ratio inside height x width, pad the rest) and
 * FIT_SMALL_SIZE (keep the aspect ratio, the short side fits), with the interpolation drawn
 * among {@code interp_mode}; and where each mode moves a normalized box. LINEAR and NEAREST are
 * cv::resize's; AREA, CUBIC and LANCZOS4 resize as LINEAR (a warning at set-up says so).
 */
public final class ImageResizing {
  private ImageResizing() {
  }

  /** Rejects what the fork CHECKs; warns once about interpolations Kaffee runs as LINEAR. */
  public static void check(ResizeParameter p, String owner) {
    KaffeeException.check(p.getHeight() > 0 && p.getWidth() > 0,
        "%s: resize_param needs a positive height and width", owner);
    for (Interp_mode m : p.getInterpModeList()) {
      if (m != Interp_mode.LINEAR && m != Interp_mode.NEAREST) {
        Glog.warn("%s: resize_param interp_mode %s runs as LINEAR", owner, m);
      }
    }
  }

  /** The {height, width} an image becomes (InferNewSize). */
  public static int[] newSize(ResizeParameter p, int height, int width) {
    int h = p.getHeight();
    int w = p.getWidth();
    if (p.getResizeMode() == Resize_mode.FIT_SMALL_SIZE) {
      float orig = (float) width / height;
      float aspect = (float) w / h;
      if (orig < aspect) {
        h = (int) (w / orig);
      } else {
        w = (int) (orig * h);
      }
    }
    return new int[] {h, w};
  }

  /** The resized image (ApplyResize). */
  public static Image apply(Image img, ResizeParameter p, Random rng) {
    boolean nearest = interpolation(p, rng) == Interp_mode.NEAREST;
    int h = p.getHeight();
    int w = p.getWidth();
    float orig = (float) img.width / img.height;
    float aspect = (float) w / h;
    switch (p.getResizeMode()) {
      case FIT_LARGE_SIZE_AND_PAD:
        if (orig > aspect) {
          int fit = (int) Math.floor((float) w / orig);
          return Padding.pad(resize(img, fit, w, nearest), p, (int) Math.floor((h - fit) / 2.0), h - fit, true);
        }
        int fit = (int) Math.floor(orig * h);
        return Padding.pad(resize(img, h, fit, nearest), p, (int) Math.floor((w - fit) / 2.0), w - fit, false);
      case FIT_SMALL_SIZE:
        return orig < aspect ? resize(img, (int) Math.floor((float) w / orig), w, nearest)
            : resize(img, h, (int) Math.floor(orig * h), nearest);
      default:
        return resize(img, h, w, nearest);
    }
  }

  /** One of interp_mode with equal odds (roll_weighted_die), LINEAR when none is given. */
  private static Interp_mode interpolation(ResizeParameter p, Random rng) {
    int n = p.getInterpModeCount();
    if (n == 0) {
      return Interp_mode.LINEAR;
    }
    float[] cumulative = new float[n];
    float sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1f / n;
      cumulative[i] = sum;
    }
    float v = Draws.uniform(rng, 0f, sum);
    int i = 0;
    while (i < n - 1 && cumulative[i] < v) {
      i++;
    }
    return p.getInterpMode(i);
  }

  private static Image resize(Image img, int h, int w, boolean nearest) {
    return nearest ? nearest(img, h, w) : img.resize(h, w);
  }

  /** cv::resize with INTER_NEAREST: source index floor(dst * src / dst), clamped. */
  static Image nearest(Image img, int h, int w) {
    double fy = (double) img.height / h;
    double fx = (double) img.width / w;
    byte[] out = new byte[img.channels * h * w];
    for (int c = 0; c < img.channels; c++) {
      for (int y = 0; y < h; y++) {
        int sy = Math.min((int) Math.floor(y * fy), img.height - 1);
        for (int x = 0; x < w; x++) {
          int sx = Math.min((int) Math.floor(x * fx), img.width - 1);
          out[(c * h + y) * w + x] = img.pixels[(c * img.height + sy) * img.width + sx];
        }
      }
    }
    return new Image(img.channels, h, w, out);
  }

  /** Where a box of an oldWidth x oldHeight image lands after the resize (UpdateBBoxByResizePolicy). */
  public static NormBox moveBox(ResizeParameter p, int oldWidth, int oldHeight, NormBox b) {
    float newH = p.getHeight();
    float newW = p.getWidth();
    float orig = (float) oldWidth / oldHeight;
    float aspect = newW / newH;
    float x0 = b.xmin() * oldWidth;
    float y0 = b.ymin() * oldHeight;
    float x1 = b.xmax() * oldWidth;
    float y1 = b.ymax() * oldHeight;
    if (p.getResizeMode() == Resize_mode.FIT_LARGE_SIZE_AND_PAD && orig > aspect) {
      float pad = (newH - newW / orig) / 2;
      x0 = Math.max(0f, x0 * newW / oldWidth);
      x1 = Math.min(newW, x1 * newW / oldWidth);
      y0 = pad + Math.max(0f, y0 * (newH - 2 * pad) / oldHeight);
      y1 = pad + Math.min(newH, y1 * (newH - 2 * pad) / oldHeight);
    } else if (p.getResizeMode() == Resize_mode.FIT_LARGE_SIZE_AND_PAD) {
      float pad = (newW - orig * newH) / 2;
      x0 = pad + Math.max(0f, x0 * (newW - 2 * pad) / oldWidth);
      x1 = pad + Math.min(newW, x1 * (newW - 2 * pad) / oldWidth);
      y0 = Math.max(0f, y0 * newH / oldHeight);
      y1 = Math.min(newH, y1 * newH / oldHeight);
    } else {
      if (p.getResizeMode() == Resize_mode.FIT_SMALL_SIZE) {
        if (orig < aspect) {
          newH = newW / orig;
        } else {
          newW = orig * newH;
        }
      }
      x0 = Math.max(0f, x0 * newW / oldWidth);
      x1 = Math.min(newW, x1 * newW / oldWidth);
      y0 = Math.max(0f, y0 * newH / oldHeight);
      y1 = Math.min(newH, y1 * newH / oldHeight);
    }
    return new NormBox(x0 / newW, y0 / newH, x1 / newW, y1 / newH, b.difficult());
  }

  /**
   * FIT_SMALL_SIZE with height_scale and width_scale: a box of the crop rescaled from the crop's
   * resized pixels to those scales (ExtrapolateBBox); other modes leave it.
   */
  public static NormBox extrapolate(ResizeParameter p, int height, int width, NormBox crop, NormBox b,
      String what) {
    float hs = p.getHeightScale();
    float ws = p.getWidthScale();
    if (hs <= 0 || ws <= 0 || p.getResizeMode() != Resize_mode.FIT_SMALL_SIZE) {
      return b;
    }
    float orig = (float) width / height;
    float rh = p.getHeight();
    float rw = p.getWidth();
    if (orig < rw / rh) {
      rh = rw / orig;
    } else {
      rw = rh * orig;
    }
    float cropH = rh * (crop.ymax() - crop.ymin());
    float cropW = rw * (crop.xmax() - crop.xmin());
    KaffeeException.check(cropW >= ws && cropH >= hs, "%s: the crop (%sx%s) is smaller than height_scale x "
        + "width_scale (%sx%s)", what, cropH, cropW, hs, ws);
    return new NormBox(b.xmin() * cropW / ws, b.ymin() * cropH / hs, b.xmax() * cropW / ws, b.ymax() * cropH / hs,
        b.difficult());
  }
}
