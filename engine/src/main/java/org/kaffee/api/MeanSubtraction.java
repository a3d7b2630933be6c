package org.kaffee.api;

import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.MeanImage;

/** The mean a preprocessor subtracts: a mean image (per pixel), per-channel values, or none. */
final class MeanSubtraction {
  private final float[] image;
  private final float[] perChannel;
  private final int height;
  private final int width;

  private MeanSubtraction(float[] image, float[] perChannel, int height, int width) {
    this.image = image;
    this.perChannel = perChannel;
    this.height = height;
    this.width = width;
  }

  static MeanSubtraction fromFile(Path file, int channels) {
    MeanImage mean = MeanImage.read(file);
    KaffeeException.check(mean.channels() == channels,
        "mean file %s has %d channels but the net's input has %d", file, mean.channels(), channels);
    return new MeanSubtraction(mean.values(), null, mean.height(), mean.width());
  }

  /** Values given once for all channels or once per channel; null or empty for no mean. */
  static MeanSubtraction fromValues(float[] values, int channels) {
    if (values == null || values.length == 0) {
      return new MeanSubtraction(null, new float[channels], 0, 0);
    }
    KaffeeException.check(values.length == 1 || values.length == channels,
        "give either 1 mean value or one per channel (%d), got %d", channels, values.length);
    float[] perChannel = new float[channels];
    for (int c = 0; c < channels; c++) {
      perChannel[c] = values[values.length == 1 ? 0 : c];
    }
    return new MeanSubtraction(null, perChannel, 0, 0);
  }

  /** The mean image's height, 0 without one. */
  int height() {
    return height;
  }

  int width() {
    return width;
  }

  /** Checks that the images are as large as the mean image (which is subtracted before the crop). */
  void checkImageSize(int imageHeight, int imageWidth) {
    KaffeeException.check(image == null || (imageHeight == height && imageWidth == width),
        "the mean file is %dx%d but images are resized to %dx%d before the crop", height, width,
        imageHeight, imageWidth);
  }

  /** The mean of channel {@code c} at CHW position {@code index}. */
  float at(int c, int index) {
    return image != null ? image[index] : perChannel[c];
  }
}
