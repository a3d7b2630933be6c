package org.kaffee.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Network;
import org.kaffee.api.Preprocessing;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.WorkDir;
import org.kaffee.visual.ActivationStats;
import org.kaffee.visual.BlobPictures;
import org.kaffee.visual.InputMaximizer;
import org.kaffee.visual.LayerLookup;
import org.kaffee.visual.PictureFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kaffee visualize}: filters, feature maps and maximising inputs of a trained net as PNGs. */
@Command(name = "visualize", mixinStandardHelpOptions = true,
    description = {"Draw a trained net's insides as PNG files under --output: the filters of a"
        + " layer (--filters), the feature maps an image produces with their activation"
        + " statistics (--image with --blobs), and the input that maximises a unit, found by"
        + " gradient ascent on the input (--maximize=layer:unit). Prints each file written."})
final class VisualizeCommand implements Runnable {
  @Option(names = {"--model", "-model"}, required = true, description = "A deploy net (Input layer).")
  String model;

  @Option(names = {"--weights", "-weights"}, description = "Trained weights (caffemodel).")
  String weights = "";

  @Option(names = {"--output", "-output"}, required = true, description = "Directory for the PNGs.")
  String output;

  @Option(names = "--filters", split = ",", description = "Layers whose filters to draw.")
  List<String> filters = new ArrayList<>();

  @Option(names = "--image", description = "An image to run through the net (for --blobs).")
  String image;

  @Option(names = "--blobs", split = ",", description = "Blobs whose feature maps to draw.")
  List<String> blobs = new ArrayList<>();

  @Option(names = "--maximize", description = "layer:unit whose input to find by gradient ascent.")
  String maximize;

  @Option(names = "--iterations", description = "Ascent iterations (default ${DEFAULT-VALUE}).")
  int iterations = 200;

  @Option(names = "--lr", description = "Ascent step as a fraction of the input's value range"
      + " (255 x --scale), the gradient normalised by its mean magnitude (default ${DEFAULT-VALUE}).")
  double lr = 0.05;

  @Option(names = "--decay", description = "L2 decay of the input per iteration (default ${DEFAULT-VALUE}).")
  double decay = 0.01;

  @Option(names = "--jitter", description = "Random shift in pixels per iteration (default ${DEFAULT-VALUE}).")
  int jitter = 1;

  @Option(names = "--blur_every", description = "Blur the input every N iterations, 0 never (default ${DEFAULT-VALUE}).")
  int blurEvery = 4;

  @Option(names = "--seed", description = "Seed of the ascent's start and jitter (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = {"--mean_file", "-mean_file"}, description = "mean.binaryproto subtracted from --image.")
  String meanFile;

  @Option(names = {"--mean_value", "-mean_value"}, split = ",", description = "Per-channel mean values.")
  List<Float> meanValue = new ArrayList<>();

  @Option(names = {"--scale", "-scale"}, description = "Multiplies the input after the mean (default ${DEFAULT-VALUE}).")
  float scale = 1f;

  @Override
  public void run() {
    KaffeeException.check(!filters.isEmpty() || !blobs.isEmpty() || maximize != null,
        "nothing to draw: give --filters, --image with --blobs, or --maximize");
    KaffeeException.check(blobs.isEmpty() || image != null, "--blobs needs --image");
    KaffeeException.check(image == null || Files.isRegularFile(WorkDir.resolve(image)),
        "--image: no such file %s", image);
    // one image per pass, and gradients down to the input for the ascent
    Network network = Kaffee.open(WorkDir.resolve(model)).weights(weights).forceBackward(true)
        .batchSize(1).load();
    PictureFiles files = new PictureFiles(WorkDir.resolve(output));
    Net net = network.core();
    for (String layer : filters) {
      int index = LayerLookup.producing(net, layer);
      print(files.write("filters_" + layer, BlobPictures.filters(net.layers().get(index))));
    }
    if (image != null) {
      drawFeatureMaps(network, files);
    }
    if (maximize != null) {
      drawMaximizingInput(network, files);
    }
  }

  private Preprocessing preprocessing() {
    Preprocessing options = new Preprocessing().scale(scale);
    if (meanFile != null) {
      options.meanFile(WorkDir.resolve(meanFile));
    }
    if (!meanValue.isEmpty()) {
      float[] values = new float[meanValue.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = meanValue.get(i);
      }
      options.meanValues(values);
    }
    return options;
  }

  private void drawFeatureMaps(Network network, PictureFiles files) {
    preprocessing().fill(network, readImage(), "--image " + image);
    Net net = network.core();
    net.forward();
    StringBuilder table = new StringBuilder(ActivationStats.header()).append('\n');
    for (String name : blobs) {
      KaffeeException.check(net.hasBlob(name), "--blobs: the net has no blob '%s' (blobs: %s)",
          name, String.join(", ", net.blobNames()));
      Blob blob = net.blobByName(name);
      print(files.write("maps_" + name, BlobPictures.featureMaps(blob)));
      table.append(ActivationStats.of(name, blob).row()).append('\n');
    }
    System.out.print(table);
    print(files.writeBytes("activations.txt", table.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private void drawMaximizingInput(Network network, PictureFiles files) {
    InputMaximizer maximizer = new InputMaximizer(network, maximize);
    InputMaximizer.Result result = maximizer.run(new InputMaximizer.Settings(iterations, lr, decay,
        jitter, blurEvery, seed, 255.0 * scale));
    double[] a = result.activations();
    System.out.printf(java.util.Locale.ROOT, "%s: activation %.5g at iteration 1, %.5g at iteration %d%n",
        maximize, a[0], a[a.length - 1], a.length);
    Blob input = network.core().inputBlobs().get(0);
    print(files.write("maximize_" + maximize.replace(':', '_'), PictureFiles.picture(result.input(),
        input.channels(), input.height(), input.width())));
  }

  private byte[] readImage() {
    try {
      return Files.readAllBytes(WorkDir.resolve(image));
    } catch (java.io.IOException e) {
      throw new KaffeeException("--image: cannot read " + image + ": " + e.getMessage(), e);
    }
  }

  private static void print(Path file) {
    System.out.println(file);
  }
}
