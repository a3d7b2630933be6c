package org.kaffee.solver;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.log.CppFloat;
import org.kaffee.log.Glog;

/** BVLC's test outputs: every value of every output blob, summed over the batches, then averaged. */
final class MeanTestOutputs implements TestOutputs {
  private final Net testNet;
  private final List<Float> scores = new ArrayList<>();
  private final List<Integer> scoreOutput = new ArrayList<>();
  private boolean first = true;

  MeanTestOutputs(Net testNet) {
    this.testNet = testNet;
  }

  @Override
  public void add(List<Blob> outputs) {
    int idx = 0;
    for (int j = 0; j < outputs.size(); j++) {
      for (float v : NetOutputs.values(outputs.get(j))) {
        if (first) {
          scores.add(v);
          scoreOutput.add(j);
        } else {
          scores.set(idx, scores.get(idx) + v);
        }
        idx++;
      }
    }
    first = false;
  }

  @Override
  public void log(int batches) {
    double[] weights = NetOutputs.lossWeights(testNet);
    for (int i = 0; i < scores.size(); i++) {
      int j = scoreOutput.get(i);
      float mean = scores.get(i) / batches;
      Glog.info("    Test net output #%d: %s = %s%s", i, testNet.outputBlobNames().get(j),
          CppFloat.format(mean), NetOutputs.lossSuffix((float) weights[j], mean));
    }
  }
}
