package org.kaffee.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * Finds objects with an SSD-style deploy net, one whose output is a DetectionOutput blob
 * (1 x 1 x rows x 7: image, label, score, xmin, ymin, xmax, ymax, the box normalized to 0..1):
 * preprocesses images as {@link Classifier} does (the whole image resized to the net's input),
 * forwards them as one batch, and gives each image's detections above a confidence threshold,
 * best first, scaled to the image's own size. Serves one thread; {@link #copy()} gives another.
 */
public final class Detector {
  private static final int ROW = 7;

  private final Network network;
  private final Preprocessing preprocessing;
  private final Preprocessor preprocessor;
  private final List<String> labels;
  private final float confidence;
  private final String input;
  private final String output;

  /** {@code labels} may be null: detections are then named by their class index. */
  public Detector(Network network, Preprocessing preprocessing, List<String> labels, float confidence) {
    KaffeeException.check(confidence >= 0 && confidence <= 1, "the confidence threshold must be in [0, 1], got %s",
        confidence);
    this.network = network;
    this.preprocessing = preprocessing;
    this.preprocessor = preprocessing.forInput(network.inputShape());
    // boxes are fractions of what the net saw: a crop would make them fractions of a part
    KaffeeException.check(preprocessor.keepsWholeImage(),
        "a detector resizes each whole image to the net's input: no crops, no oversampling, no --images_dim or "
            + "mean file of another size");
    this.input = network.inputNames().get(0);
    this.output = outputBlob(network);
    this.labels = labels == null ? null : List.copyOf(labels);
    this.confidence = confidence;
  }

  /** The one output of the net, or "detection_out" (SSD's name) among several; its rows have 7 values. */
  private static String outputBlob(Network network) {
    String name = network.soleOutputOr("detection_out", "detector");
    int[] shape = network.blobShape(name);
    KaffeeException.check(shape.length == 4 && shape[3] == ROW,
        "the net's output '%s' has shape %s; a detector needs DetectionOutput's 1 x 1 x N x 7", name,
        Arrays.toString(shape));
    return name;
  }

  /** A detector for another thread: its own net and buffers, the same weights and options. */
  public Detector copy() {
    return new Detector(network.copy(), preprocessing, labels, confidence);
  }

  public Network network() {
    return network;
  }

  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** The name of class {@code label}: its line in the labels file, else the index. */
  public String label(int label) {
    return labels != null && label < labels.size() ? labels.get(label) : Integer.toString(label);
  }

  /** The detections of one image, best first. */
  public List<Detection> detect(Image image) {
    return detect(List.of(image), List.of("image")).get(0);
  }

  /** The detections of each image, best first; {@code names} say which image is at fault. */
  public List<List<Detection>> detect(List<Image> images, List<String> names) {
    preprocessor.fill(network, input, images, names);
    network.forward();
    float[] rows = network.blob(output);
    List<List<Detection>> result = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      result.add(new ArrayList<>());
    }
    for (int r = 0; r + ROW <= rows.length; r += ROW) {
      int image = (int) rows[r];
      int label = (int) rows[r + 1];
      float score = rows[r + 2];
      // DetectionOutput marks an image without detections by a row of -1s
      if (image < 0 || image >= images.size() || label < 0 || score < confidence) {
        continue;
      }
      Image original = images.get(image);
      result.get(image).add(new Detection(label, label(label), score, rows[r + 3] * original.width,
          rows[r + 4] * original.height, rows[r + 5] * original.width, rows[r + 6] * original.height));
    }
    for (List<Detection> found : result) {
      found.sort(Comparator.comparingDouble((Detection d) -> -d.score()));
    }
    return result;
  }
}
