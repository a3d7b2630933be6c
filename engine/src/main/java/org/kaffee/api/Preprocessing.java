package org.kaffee.api;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * How images become net inputs, the options of Caffe's classification tools: a mean
 * ({@code mean_file} per pixel, or {@code mean_value} per channel), pycaffe's {@code raw_scale}
 * and Caffe's {@code transform_param.scale}, the size images are resized to before cropping,
 * and 10-crop oversampling. {@link #forInput(int[])} fixes them for a net's input geometry.
 */
public final class Preprocessing {
  private Path meanFile;
  private float[] meanValues;
  private float scale = 1;
  private float rawScale = 255;
  private int[] imageSize;
  private boolean oversample;

  /** A binaryproto mean (compute_image_mean's output), subtracted pixel by pixel before the crop. */
  public Preprocessing meanFile(Path file) {
    this.meanFile = file;
    return this;
  }

  /** One value per channel (B, G, R for colour), or one for all. */
  public Preprocessing meanValues(float... values) {
    this.meanValues = values.clone();
    return this;
  }

  /** Multiplies after the mean is subtracted (Caffe's {@code transform_param.scale}). */
  public Preprocessing scale(float value) {
    this.scale = value;
    return this;
  }

  /**
   * pycaffe's {@code raw_scale}: the value a white pixel has before the mean is subtracted.
   * The default 255 keeps the 0..255 pixel values Caffe's C++ tools use.
   */
  public Preprocessing rawScale(float value) {
    this.rawScale = value;
    return this;
  }

  /**
   * The size images are resized to before the crop ({@code classify.py --images_dim}). Without
   * it: the mean file's size when there is one, else the net's input size (no crop).
   */
  public Preprocessing imageSize(int height, int width) {
    KaffeeException.check(height > 0 && width > 0, "image size must be positive, got %dx%d", height, width);
    this.imageSize = new int[] {height, width};
    return this;
  }

  /** Caffe's 10 crops (4 corners and centre, each also mirrored), their outputs averaged. */
  public Preprocessing oversample(boolean value) {
    this.oversample = value;
    return this;
  }

  /**
   * Decodes one encoded image (PNG, JPEG, ...) and writes it, preprocessed, as the first input,
   * reshaped to that one image (visualize's {@code --image}, the dashboard's uploads).
   */
  public void fill(Network network, byte[] encodedImage, String what) {
    int[] shape = network.inputShape();
    forInput(shape).fill(network, network.inputNames().get(0),
        List.of(Image.decode(encodedImage, shape[1] == 3, what)), List.of(what));
  }

  /** These options for a net input of shape (N, C, H, W). */
  public Preprocessor forInput(int[] inputShape) {
    KaffeeException.check(meanFile == null || meanValues == null,
        "give a mean file or mean values, not both");
    KaffeeException.check(inputShape.length == 4,
        "the net's input has shape %s; classifying images needs (N, C, H, W)", java.util.Arrays.toString(inputShape));
    KaffeeException.check(inputShape[1] == 1 || inputShape[1] == 3,
        "the net's input has %d channels; images give 1 (gray) or 3 (BGR)", inputShape[1]);
    MeanSubtraction mean = meanFile != null
        ? MeanSubtraction.fromFile(meanFile, inputShape[1])
        : MeanSubtraction.fromValues(meanValues, inputShape[1]);
    int[] size = imageSize != null ? imageSize
        : mean.height() > 0 ? new int[] {mean.height(), mean.width()}
        : new int[] {inputShape[2], inputShape[3]};
    return new Preprocessor(inputShape[1], inputShape[2], inputShape[3], size[0], size[1], mean,
        rawScale / 255f, scale, oversample);
  }
}
