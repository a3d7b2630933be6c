package org.kaffee.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * Classifies images with a deploy net (Caffe's {@code classification.cpp} and pycaffe's
 * {@code caffe.Classifier}): preprocesses them, forwards them as one batch, and averages the
 * output over the crops of each image. Like its {@link Network}, a Classifier serves one
 * thread; {@link #copy()} gives another one over the same weights.
 */
public final class Classifier {
  private final Network network;
  private final Preprocessing preprocessing;
  private final Preprocessor preprocessor;
  private final List<String> labels;
  private final String input;
  private final String output;
  private final int classes;

  /** {@code labels} may be null: predictions are then labelled by their index. */
  public Classifier(Network network, Preprocessing preprocessing, List<String> labels) {
    this.network = network;
    this.preprocessing = preprocessing;
    this.preprocessor = preprocessing.forInput(network.inputShape());
    this.input = network.inputNames().get(0);
    this.output = network.soleOutputOr("prob", "classifier");
    int[] shape = network.blobShape(output);
    this.classes = Arrays.stream(shape).skip(1).reduce(1, (a, b) -> a * b);
    KaffeeException.check(labels == null || labels.size() >= classes,
        "the labels file has %d labels but the net's output '%s' has %d classes", labels == null ? 0 : labels.size(),
        output, classes);
    this.labels = labels == null ? null : List.copyOf(labels);
  }

  /** A classifier for another thread: its own net and buffers, the same weights and options. */
  public Classifier copy() {
    return new Classifier(network.copy(), preprocessing, labels);
  }

  public Network network() {
    return network;
  }

  public Preprocessor preprocessor() {
    return preprocessor;
  }

  /** The number of classes the net tells apart. */
  public int classes() {
    return classes;
  }

  /** The label of class {@code index}. */
  public String label(int index) {
    return labels == null ? Integer.toString(index) : labels.get(index);
  }

  /** The output (probabilities for a net ending in Softmax) of each image, averaged over its crops. */
  public float[][] probabilities(List<Image> images, List<String> names) {
    int crops = preprocessor.crops();
    preprocessor.fill(network, input, images, names);
    network.forward();
    float[] out = network.blob(output);
    float[][] result = new float[images.size()][classes];
    for (int i = 0; i < images.size(); i++) {
      for (int k = 0; k < crops; k++) {
        int row = (i * crops + k) * classes;
        for (int j = 0; j < classes; j++) {
          result[i][j] += out[row + j];
        }
      }
      if (crops > 1) {
        for (int j = 0; j < classes; j++) {
          result[i][j] /= crops;
        }
      }
    }
    return result;
  }

  /** The {@code k} most probable classes of one image, most probable first. */
  public List<Prediction> classify(Image image, int k) {
    return top(probabilities(List.of(image), List.of("image"))[0], k);
  }

  /** The {@code k} largest entries of an output, largest first (ties: the lower index first). */
  public List<Prediction> top(float[] probabilities, int k) {
    Integer[] order = new Integer[probabilities.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -probabilities[i]).thenComparingInt(i -> i));
    List<Prediction> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, order.length); i++) {
      out.add(new Prediction(order[i], label(order[i]), probabilities[order[i]]));
    }
    return out;
  }
}
