package org.kaffee.api;

import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * Turns an 8-bit image (planar, BGR or gray) into net input values, in the order Caffe's
 * DataTransformer and pycaffe's Classifier apply the steps: resize (OpenCV's bilinear) to the
 * image size, {@code (pixel * rawScale / 255 - mean) * scale} with the mean taken at the
 * uncropped position, then the centre crop, or the 10 crops of {@code caffe.io.oversample}:
 * top-left, top-right, bottom-left, bottom-right, centre, and the same five mirrored.
 */
public final class Preprocessor {
  private final int channels;
  private final int cropHeight;
  private final int cropWidth;
  private final int height;
  private final int width;
  private final MeanSubtraction mean;
  private final float rawFactor;
  private final float scale;
  private final boolean oversample;

  Preprocessor(int channels, int cropHeight, int cropWidth, int height, int width, MeanSubtraction mean,
      float rawFactor, float scale, boolean oversample) {
    KaffeeException.check(height >= cropHeight && width >= cropWidth,
        "images are resized to %dx%d, smaller than the net's input %dx%d", height, width, cropHeight, cropWidth);
    mean.checkImageSize(height, width);
    this.channels = channels;
    this.cropHeight = cropHeight;
    this.cropWidth = cropWidth;
    this.height = height;
    this.width = width;
    this.mean = mean;
    this.rawFactor = rawFactor;
    this.scale = scale;
    this.oversample = oversample;
  }

  /** How many net inputs one image gives: 10 when oversampling, else 1. */
  public int crops() {
    return oversample ? 10 : 1;
  }

  /** The values of one crop: channels x crop height x crop width. */
  public int cropSize() {
    return channels * cropHeight * cropWidth;
  }

  public int channels() {
    return channels;
  }

  /** Whether the net sees the whole resized image: one input, no crop of a larger resize. */
  public boolean keepsWholeImage() {
    return !oversample && height == cropHeight && width == cropWidth;
  }

  /**
   * Writes the images' {@link #crops()} inputs each as the net's input {@code input}, reshaped
   * to hold them all; {@code names} say which image is at fault.
   */
  public void fill(Network network, String input, List<Image> images, List<String> names) {
    int size = cropSize();
    int[] shape = network.inputShape(input).clone();
    shape[0] = images.size() * crops();
    network.reshapeInput(input, shape);
    float[] batch = new float[shape[0] * size];
    for (int i = 0; i < images.size(); i++) {
      apply(images.get(i), batch, i * crops() * size, names.get(i));
    }
    network.setInput(input, batch);
  }

  /** Writes the image's {@link #crops()} inputs into {@code out} from {@code offset}. */
  public void apply(Image image, float[] out, int offset, String what) {
    KaffeeException.check(image.channels == channels, "%s: the image has %d channel%s but the net takes %d",
        what, image.channels, image.channels == 1 ? "" : "s", channels);
    Image sized = image.resize(height, width);
    float[] values = new float[channels * height * width];
    int plane = height * width;
    for (int c = 0; c < channels; c++) {
      for (int i = c * plane; i < (c + 1) * plane; i++) {
        values[i] = ((sized.pixels[i] & 0xff) * rawFactor - mean.at(c, i)) * scale;
      }
    }
    int dh = height - cropHeight;
    int dw = width - cropWidth;
    if (!oversample) {
      crop(values, dh / 2, dw / 2, false, out, offset);
      return;
    }
    int[][] corners = {{0, 0}, {0, dw}, {dh, 0}, {dh, dw}, {dh / 2, dw / 2}};
    for (int k = 0; k < 10; k++) {
      int[] at = corners[k % 5];
      crop(values, at[0], at[1], k >= 5, out, offset + k * cropSize());
    }
  }

  private void crop(float[] values, int top, int left, boolean mirror, float[] out, int offset) {
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < cropHeight; y++) {
        int src = (c * height + top + y) * width + left;
        int dst = offset + (c * cropHeight + y) * cropWidth;
        for (int x = 0; x < cropWidth; x++) {
          out[mirror ? dst + cropWidth - 1 - x : dst + x] = values[src + x];
        }
      }
    }
  }
}
