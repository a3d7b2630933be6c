package org.kaffee.data;

import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/**
 * Caffe's DataTransformer: turns a Datum (raw CHW bytes, float_data, or an encoded image)
 * into floats, in Caffe's order: draw mirror, draw the crop offsets (random in TRAIN, centred
 * in TEST), then for each output element {@code (x - mean) * scale}, with the mean taken
 * from the uncropped mean file position or the channel's mean_value. Random draws come from
 * the generator given at construction (forked from Rng), so runs repeat.
 */
public final class DataTransformer {
  private final TransformationParameter param;
  private final Phase phase;
  private final Random rng;
  private final String owner;
  private float[] mean;
  private int meanChannels;
  private int meanHeight;
  private int meanWidth;
  private float[] meanValues;

  public DataTransformer(TransformationParameter param, Phase phase, Random rng, String owner) {
    this.param = param;
    this.phase = phase;
    this.rng = rng;
    this.owner = owner;
    if (param.hasMeanFile()) {
      KaffeeException.check(param.getMeanValueCount() == 0,
          "%s: cannot specify mean_file and mean_value at the same time", owner);
      Glog.info("Loading mean file from: %s", param.getMeanFile());
      MeanImage image = MeanImage.read(WorkDir.resolve(param.getMeanFile()));
      meanChannels = image.channels();
      meanHeight = image.height();
      meanWidth = image.width();
      mean = image.values();
    }
    if (param.getMeanValueCount() > 0) {
      meanValues = new float[param.getMeanValueCount()];
      for (int i = 0; i < meanValues.length; i++) {
        meanValues[i] = param.getMeanValue(i);
      }
    }
    KaffeeException.check(!(param.getForceColor() && param.getForceGray()),
        "%s: cannot set both force_color and force_gray", owner);
  }

  public TransformationParameter param() {
    return param;
  }

  /** The decoded pixels of a Datum: raw bytes, or null with floatData set. */
  public static final class Decoded {
    public final int channels;
    public final int height;
    public final int width;
    public final byte[] bytes;
    public final float[] floats;

    Decoded(int channels, int height, int width, byte[] bytes, float[] floats) {
      this.channels = channels;
      this.height = height;
      this.width = width;
      this.bytes = bytes;
      this.floats = floats;
    }
  }

  /** Decodes a Datum (encoded ones with force_color/force_gray, else in their own channels). */
  public Decoded decode(Datum datum, String what) {
    if (datum.getEncoded()) {
      Boolean color = param.getForceColor() ? Boolean.TRUE : param.getForceGray() ? Boolean.FALSE : null;
      Image img = Image.decode(datum.getData().toByteArray(), color, what);
      return new Decoded(img.channels, img.height, img.width, img.pixels, null);
    }
    int c = datum.getChannels();
    int h = datum.getHeight();
    int w = datum.getWidth();
    long size = (long) c * h * w;
    if (!datum.getData().isEmpty()) {
      KaffeeException.check(datum.getData().size() == size,
          "%s: Datum holds %d bytes, its shape %dx%dx%d needs %d", what, datum.getData().size(), c, h, w, size);
      return new Decoded(c, h, w, datum.getData().toByteArray(), null);
    }
    KaffeeException.check(datum.getFloatDataCount() == size,
        "%s: Datum holds %d float_data values, its shape %dx%dx%d needs %d", what,
        datum.getFloatDataCount(), c, h, w, size);
    float[] f = new float[(int) size];
    for (int i = 0; i < f.length; i++) {
      f[i] = datum.getFloatData(i);
    }
    return new Decoded(c, h, w, null, f);
  }

  /** The shape one Datum transforms to: {1, channels, height, width} after crop (InferBlobShape). */
  public int[] inferShape(int channels, int height, int width, String what) {
    int crop = param.getCropSize();
    KaffeeException.check(channels > 0, "%s: Datum has no channels", what);
    KaffeeException.check(height >= crop && width >= crop,
        "%s: crop_size %d is larger than the image (%dx%d)", what, crop, height, width);
    return new int[] {1, channels, crop > 0 ? crop : height, crop > 0 ? crop : width};
  }

  /** Transforms decoded pixels into {@code out[offset ...]} (channels x cropped height x cropped width). */
  public Placement transform(Decoded d, float[] out, int offset, String what) {
    return transform(d.channels, d.height, d.width, d.bytes, d.floats, out, offset, what);
  }

  /** Where a transform took its pixels from: the crop's offsets and size in the input, and the mirror drawn. */
  public record Placement(int hOff, int wOff, int height, int width, boolean mirror) {
  }

  /** The core of Caffe's Transform for uint8 ({@code bytes}) or float input. */
  public Placement transform(int channels, int dh, int dw, byte[] bytes, float[] floats, float[] out, int offset,
      String what) {
    int crop = param.getCropSize();
    float scale = param.getScale();
    boolean mirror = param.getMirror() && rng.nextInt(2) == 1;
    KaffeeException.check(dh >= crop && dw >= crop,
        "%s: crop_size %d is larger than the image (%dx%d)", what, crop, dh, dw);
    if (mean != null) {
      KaffeeException.check(channels == meanChannels && dh == meanHeight && dw == meanWidth,
          "%s: image is %dx%dx%d but the mean file %s is %dx%dx%d", what, channels, dh, dw,
          param.getMeanFile(), meanChannels, meanHeight, meanWidth);
    }
    float[] mv = null;
    if (meanValues != null) {
      KaffeeException.check(meanValues.length == 1 || meanValues.length == channels,
          "%s: give either 1 mean_value or as many as channels (%d), got %d", owner, channels,
          meanValues.length);
      mv = new float[channels];
      for (int c = 0; c < channels; c++) {
        mv[c] = meanValues.length == 1 ? meanValues[0] : meanValues[c];
      }
    }
    int height = dh;
    int width = dw;
    int hOff = 0;
    int wOff = 0;
    if (crop > 0) {
      height = crop;
      width = crop;
      if (phase == Phase.TRAIN) {
        hOff = rng.nextInt(dh - crop + 1);
        wOff = rng.nextInt(dw - crop + 1);
      } else {
        hOff = (dh - crop) / 2;
        wOff = (dw - crop) / 2;
      }
    }
    for (int c = 0; c < channels; c++) {
      for (int h = 0; h < height; h++) {
        int src = (c * dh + hOff + h) * dw + wOff;
        int dst = offset + (c * height + h) * width;
        for (int w = 0; w < width; w++) {
          int di = src + w;
          int ti = mirror ? dst + width - 1 - w : dst + w;
          float x = bytes != null ? (bytes[di] & 0xff) : floats[di];
          if (mean != null) {
            out[ti] = (x - mean[di]) * scale;
          } else if (mv != null) {
            out[ti] = (x - mv[c]) * scale;
          } else {
            out[ti] = x * scale;
          }
        }
      }
    }
    return new Placement(hOff, wOff, height, width, mirror);
  }
}
