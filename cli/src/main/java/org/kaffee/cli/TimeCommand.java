package org.kaffee.cli;

import java.util.List;
import org.kaffee.api.Kaffee;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.io.WorkDir;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Phase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee time}: benchmark a model layer by layer (Caffe's {@code caffe time}). */
@Command(name = "time", mixinStandardHelpOptions = true,
    description = "Benchmark the execution time of a model, layer by layer.")
final class TimeCommand implements Runnable {
  @Option(names = {"--model", "-model"}, description = "The model definition protocol buffer text file.")
  String model = "";

  @Option(names = {"--iterations", "-iterations"}, description = "The number of iterations to run (default 50).")
  int iterations = 50;

  @Option(names = {"--phase", "-phase"}, description = "Optional; network phase (TRAIN or TEST), default TRAIN.")
  String phase = "";

  @Mixin
  NetStateOptions netState;

  @Option(names = {"--weights", "-weights"}, description = "Optional; weights to load first (',' separated).")
  String weights = "";

  @Mixin
  CpuOnlyOption cpu;

  @Override
  public void run() {
    KaffeeException.check(!model.isEmpty(), "need a model definition to time (--model)");
    KaffeeException.check(iterations > 0, "--iterations must be positive, got %d", iterations);
    Phase p;
    switch (phase) {
      case "":
      case "TRAIN":
        p = Phase.TRAIN;
        break;
      case "TEST":
        p = Phase.TEST;
        break;
      default:
        throw new KaffeeException("--phase must be \"TRAIN\" or \"TEST\", got \"" + phase + "\"");
    }
    cpu.useCpu();
    Net net = netState.applyTo(Kaffee.open(WorkDir.resolve(model))).phase(p).weights(weights).load().core();
    Glog.info("Performing Forward");
    float initialLoss = (float) net.forward();
    Glog.info("Initial loss: %s", CppFloat.format(initialLoss));
    Glog.info("Performing Backward");
    net.backward();
    List<Layer> layers = net.layers();
    List<List<Blob>> bottoms = net.bottomVecs();
    List<List<Blob>> tops = net.topVecs();
    Glog.info("*** Benchmark begins ***");
    Glog.info("Testing for %d iterations.", iterations);
    long totalStart = System.nanoTime();
    long[] forwardPerLayer = new long[layers.size()];
    long[] backwardPerLayer = new long[layers.size()];
    long forwardTime = 0;
    long backwardTime = 0;
    for (int j = 0; j < iterations; j++) {
      long iterStart = System.nanoTime();
      long forwardStart = iterStart;
      for (int i = 0; i < layers.size(); i++) {
        long t = System.nanoTime();
        layers.get(i).forwardWithLoss(bottoms.get(i), tops.get(i));
        forwardPerLayer[i] += System.nanoTime() - t;
      }
      long backwardStart = System.nanoTime();
      forwardTime += backwardStart - forwardStart;
      for (int i = layers.size() - 1; i >= 0; i--) {
        long t = System.nanoTime();
        if (net.layerNeedBackward(i)) {
          layers.get(i).backward(tops.get(i), net.bottomNeedBackward(i), bottoms.get(i));
        }
        backwardPerLayer[i] += System.nanoTime() - t;
      }
      long end = System.nanoTime();
      backwardTime += end - backwardStart;
      Glog.info("Iteration: %d forward-backward time: %s ms.", j + 1, ms(end - iterStart, 1));
    }
    Glog.info("Average time per layer: ");
    for (int i = 0; i < layers.size(); i++) {
      String name = net.layerNames().get(i);
      Glog.info("%10s\tforward: %s ms.", name, ms(forwardPerLayer[i], iterations));
      Glog.info("%10s\tbackward: %s ms.", name, ms(backwardPerLayer[i], iterations));
    }
    long total = System.nanoTime() - totalStart;
    Glog.info("Average Forward pass: %s ms.", ms(forwardTime, iterations));
    Glog.info("Average Backward pass: %s ms.", ms(backwardTime, iterations));
    Glog.info("Average Forward-Backward: %s ms.", ms(total, iterations));
    Glog.info("Total Time: %s ms.", ms(total, 1));
    Glog.info("*** Benchmark ends ***");
    net.close();
  }

  private static String ms(long nanos, int divisor) {
    return CppFloat.format(nanos / 1e6 / divisor);
  }
}
