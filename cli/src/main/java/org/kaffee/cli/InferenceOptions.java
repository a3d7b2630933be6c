package org.kaffee.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.api.Classifier;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Labels;
import org.kaffee.api.Network;
import org.kaffee.api.Preprocessing;
import org.kaffee.api.Preprocessor;
import org.kaffee.core.KaffeeException;
import org.kaffee.inference.Inputs;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The flags classify, evaluate and detect share: the net, its preprocessing, the inputs, the batch. */
final class InferenceOptions {
  @Option(names = {"--model", "-model"}, required = true, description = "The deploy net (with an Input layer).")
  String model;

  @Option(names = {"--weights", "-weights"},
      description = "The trained caffemodel. Without, the fillers' random weights (for timing only).")
  String weights;

  @Option(names = {"--mean_file", "-mean_file"}, description = "A mean.binaryproto, subtracted per pixel before the crop.")
  String meanFile;

  @Option(names = {"--mean_value", "-mean_value"}, split = ",",
      description = "Mean per channel (B,G,R), or one for all channels.")
  List<Float> meanValue = new ArrayList<>();

  @Option(names = {"--scale", "-scale"}, description = "Multiplies after the mean (transform_param.scale); default 1.")
  float scale = 1;

  @Option(names = {"--raw_scale", "-raw_scale"},
      description = "pycaffe's raw_scale: the value of a white pixel before the mean; default 255.")
  float rawScale = 255;

  @Option(names = {"--images_dim", "-images_dim"}, split = ",",
      description = "H,W images are resized to before the crop; default the mean file's size, else the net's input.")
  List<Integer> imagesDim = new ArrayList<>();

  @Option(names = {"--oversample", "-oversample"},
      description = "Average the outputs of Caffe's 10 crops (corners, centre, mirrored) instead of the centre crop.")
  boolean oversample;

  @Option(names = {"--labels", "-labels"}, description = "A labels file, one class name per line.")
  String labels;

  @Option(names = {"--backend", "-backend"}, description = "The backend of a database INPUT: lmdb (default) or leveldb.")
  String backend = "lmdb";

  @Option(names = {"--root_folder", "-root_folder"},
      description = "Prepended to the paths of a 'path label' list (as ImageData's root_folder).")
  String rootFolder = "";

  @Option(names = {"--batch_size", "-batch_size"}, description = "Images per forward; default the deploy net's batch.")
  int batchSize;

  @Parameters(paramLabel = "INPUT", arity = "1..*",
      description = "Image files, directories of images, 'path label' lists, or Datum databases.")
  List<String> inputs = new ArrayList<>();

  Classifier classifier() {
    return new Classifier(network(), preprocessing(), labelList());
  }

  /** The deploy net with its weights (or its fillers' random ones, with a warning). */
  Network network() {
    checkFile(model, "--model");
    if (weights == null) {
      Glog.warn("no --weights: the net keeps its fillers' random weights");
      return Kaffee.load(WorkDir.resolve(model));
    }
    checkFile(weights, "--weights");
    return Kaffee.load(WorkDir.resolve(model), WorkDir.resolve(weights));
  }

  Preprocessing preprocessing() {
    Preprocessing preprocessing = new Preprocessing().scale(scale).rawScale(rawScale).oversample(oversample);
    KaffeeException.check(meanFile == null || meanValue.isEmpty(),
        "give either --mean_file or --mean_value, not both");
    if (meanFile != null) {
      checkFile(meanFile, "--mean_file");
      preprocessing.meanFile(WorkDir.resolve(meanFile));
    }
    if (!meanValue.isEmpty()) {
      float[] values = new float[meanValue.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = meanValue.get(i);
      }
      preprocessing.meanValues(values);
    }
    if (!imagesDim.isEmpty()) {
      KaffeeException.check(imagesDim.size() == 2, "--images_dim takes H,W, got %s", imagesDim);
      preprocessing.imageSize(imagesDim.get(0), imagesDim.get(1));
    }
    return preprocessing;
  }

  /** The --labels file's lines, or null without one. */
  List<String> labelList() {
    if (labels == null) {
      return null;
    }
    checkFile(labels, "--labels");
    return Labels.read(WorkDir.resolve(labels));
  }

  Inputs inputs(Classifier classifier) {
    return inputs(classifier.preprocessor());
  }

  Inputs inputs(Preprocessor preprocessor) {
    return new Inputs(inputs, backend, rootFolder, preprocessor.channels() == 3);
  }

  int batchSize(Classifier classifier) {
    return batchSize(classifier.network());
  }

  int batchSize(Network network) {
    return batchSize > 0 ? batchSize : Math.max(1, network.inputShape()[0]);
  }

  private static void checkFile(String name, String flag) {
    Path path = WorkDir.resolve(name);
    KaffeeException.check(java.nio.file.Files.isRegularFile(path), "%s=%s: no such file", flag, name);
  }
}
