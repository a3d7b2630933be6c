package org.kaffee.visual;

import java.nio.file.Path;
import java.util.List;
import org.kaffee.api.Preprocessor;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * The flags by which the pictures and the dashboard turn an image into the net's input
 * ({@code --mean_file}, {@code --mean_value}, {@code --scale}), applied by the inference
 * API's preprocessing, the same as {@code classify}'s.
 */
public record Preprocessing(Path meanFile, List<Float> meanValues, float scale) {
  /** Decodes {@code imageBytes} and writes it as image 0 of {@code input} (N x C x H x W). */
  public void fill(Blob input, byte[] imageBytes, String what) {
    KaffeeException.check(meanFile == null || meanValues.isEmpty(),
        "%s: give --mean_file or --mean_value, not both", what);
    org.kaffee.api.Preprocessing options = new org.kaffee.api.Preprocessing().scale(scale);
    if (meanFile != null) {
      options.meanFile(meanFile);
    }
    if (!meanValues.isEmpty()) {
      float[] values = new float[meanValues.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = meanValues.get(i);
      }
      options.meanValues(values);
    }
    Preprocessor preprocessor = options.forInput(input.shape());
    float[] values = new float[preprocessor.cropSize()];
    preprocessor.apply(Image.decode(imageBytes, input.channels() == 3, what), values, 0, what);
    input.dataView().copyFrom(values);
  }
}
