package org.kaffee.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every BVLC Caffe layer type and every fork layer type is registered, and docs/layers.md lists
 * exactly those and ContrastiveAccuracy.
 */
class LayerCoverageTest {
  /** The types BVLC Caffe master registers (REGISTER_LAYER_CLASS / _CREATOR), Python aside. */
  private static final List<String> CAFFE_TYPES = List.of("AbsVal", "Accuracy", "ArgMax", "BNLL", "BatchNorm",
      "BatchReindex", "Bias", "Clip", "Concat", "ContrastiveLoss", "Convolution", "Crop", "Data", "Deconvolution",
      "Dropout", "DummyData", "ELU", "Eltwise", "Embed", "EuclideanLoss", "Exp", "Filter", "Flatten", "HDF5Data",
      "HDF5Output", "HingeLoss", "Im2col", "ImageData", "InfogainLoss", "InnerProduct", "Input", "LRN", "LSTM",
      "LSTMUnit", "Log", "MVN", "MemoryData", "MultinomialLogisticLoss", "PReLU", "Parameter", "Pooling", "Power",
      "RNN", "ReLU", "Reduction", "Reshape", "SPP", "Scale", "Sigmoid", "SigmoidCrossEntropyLoss", "Silence",
      "Slice", "Softmax", "SoftmaxWithLoss", "Split", "Swish", "TanH", "Threshold", "Tile", "WindowData");

  /** The layer types of Caffe's forks that Kaffee runs (docs/layers.md names their forks). */
  private static final List<String> FORK_TYPES = List.of("AnnotatedData", "Axpy", "ConvolutionDepthwise",
      "DepthwiseConvolution", "DetectionEvaluate", "DetectionOutput", "Interp", "Normalize", "Permute", "PriorBox",
      "ROIPooling", "ReLU6", "ShuffleChannel", "MultiBoxLoss", "SmoothL1Loss", "Upsample");

  @Test
  void everyForkTypeIsRegistered() {
    assertEquals(List.of(), FORK_TYPES.stream().filter(t -> !LayerRegistry.isRegistered(t)).toList());
  }

  @Test
  void everyCaffeTypeIsRegistered() {
    List<String> missing = CAFFE_TYPES.stream().filter(t -> !LayerRegistry.isRegistered(t)).toList();
    assertEquals(List.of(), missing);
  }

  @Test
  void theLayerPageListsTheRegisteredTypes() throws Exception {
    String page = Files.readString(Path.of("docs/layers.md"));
    Set<String> listed = new TreeSet<>();
    for (String line : page.split("\n")) {
      if (line.startsWith("| `")) {
        String types = line.substring(line.indexOf('|', 2) + 1, line.lastIndexOf('|')).replaceAll("\\(.*?\\)", "");
        for (String type : types.split("[,;]")) {
          listed.add(type.strip());
        }
      }
    }
    Set<String> registered = new TreeSet<>(CAFFE_TYPES);
    registered.add("ContrastiveAccuracy");
    registered.addAll(FORK_TYPES);
    assertEquals(registered, listed);
  }
}
