package org.kaffee.cli;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.api.Kaffee;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.io.WorkDir;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.solver.NetOutputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee test}: score a model (Caffe's {@code caffe test}; weights are optional). */
@Command(name = "test", mixinStandardHelpOptions = true,
    description = "Score a model: run the TEST phase and print the mean of every output.")
final class TestCommand implements Runnable {
  @Option(names = {"--model", "-model"}, description = "The model definition protocol buffer text file.")
  String model = "";

  @Option(names = {"--weights", "-weights"},
      description = "Optional; the weights (caffemodel files separated by ','). Without, the fillers give the weights.")
  String weights = "";

  @Option(names = {"--iterations", "-iterations"}, description = "The number of iterations to run (default 50).")
  int iterations = 50;

  @Mixin
  NetStateOptions netState;

  @Mixin
  CpuOnlyOption cpu;

  @Override
  public void run() {
    KaffeeException.check(!model.isEmpty(), "need a model definition to score (--model)");
    KaffeeException.check(iterations > 0, "--iterations must be positive, got %d", iterations);
    cpu.useCpu();
    Net net = netState.applyTo(Kaffee.open(WorkDir.resolve(model))).phase(Phase.TEST).weights(weights)
        .load().core();
    Glog.info("Running for %d iterations.", iterations);
    List<Float> scores = new ArrayList<>();
    List<Integer> outputIds = new ArrayList<>();
    float loss = 0;
    for (int i = 0; i < iterations; i++) {
      float iterLoss = (float) net.forward();
      loss += iterLoss;
      int idx = 0;
      List<Blob> result = net.outputBlobs();
      for (int j = 0; j < result.size(); j++) {
        for (float score : NetOutputs.values(result.get(j))) {
          if (i == 0) {
            scores.add(score);
            outputIds.add(j);
          } else {
            scores.set(idx, scores.get(idx) + score);
          }
          idx++;
          Glog.info("Batch %d, %s = %s", i, net.outputBlobNames().get(j), CppFloat.format(score));
        }
      }
    }
    loss /= iterations;
    Glog.info("Loss: %s", CppFloat.format(loss));
    double[] lossWeights = NetOutputs.lossWeights(net);
    for (int i = 0; i < scores.size(); i++) {
      int j = outputIds.get(i);
      float mean = scores.get(i) / iterations;
      Glog.info("%s = %s%s", net.outputBlobNames().get(j), CppFloat.format(mean),
          NetOutputs.lossSuffix((float) lossWeights[j], mean));
    }
    net.close();
  }
}
