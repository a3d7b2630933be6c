package org.kaffee.serve;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.Net;
import org.kaffee.visual.BlobPictures;
import org.kaffee.visual.InferenceNet;
import org.kaffee.visual.Preprocessing;

/** "Classify one": an uploaded image through a net, its top 5 and the feature maps on the way. */
final class Classification {
  private static final int TOP = 5;
  private static final int MAX_MAPS = 8;

  private Classification() {
  }

  static Map<String, Object> run(InferenceNet inference, Preprocessing preprocessing, byte[] image,
      List<String> labels) {
    preprocessing.fill(inference.input(), image, "uploaded image");
    Net net = inference.net();
    net.forward();
    Blob out = net.outputBlobs().get(0);
    double[] probs = probabilities(out);
    List<Map<String, Object>> top = new ArrayList<>();
    boolean[] taken = new boolean[probs.length];
    for (int k = 0; k < Math.min(TOP, probs.length); k++) {
      int best = -1;
      for (int i = 0; i < probs.length; i++) {
        if (!taken[i] && (best < 0 || probs[i] > probs[best])) {
          best = i;
        }
      }
      taken[best] = true;
      top.add(Map.of("index", best, "label", best < labels.size() ? labels.get(best) : String.valueOf(best),
          "probability", probs[best]));
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("output", net.outputBlobNames().get(0));
    result.put("top", top);
    result.put("maps", maps(net));
    return result;
  }

  /** The output's values for image 0, through a softmax unless they already sum to one. */
  private static double[] probabilities(Blob out) {
    DataView view = out.dataView();
    double[] v = new double[out.count(1)];
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    boolean nonNegative = true;
    for (int i = 0; i < v.length; i++) {
      v[i] = view.get(i);
      sum += v[i];
      max = Math.max(max, v[i]);
      nonNegative &= v[i] >= 0;
    }
    if (nonNegative && Math.abs(sum - 1) < 1e-3) {
      return v;
    }
    double z = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.exp(v[i] - max);
      z += v[i];
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= z;
    }
    return v;
  }

  /** PNG data URLs of the 4-axis tops of the net's layers (not the input, not the inserted splits). */
  private static List<Map<String, String>> maps(Net net) {
    List<Map<String, String>> maps = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < net.layers().size() && maps.size() < MAX_MAPS; i++) {
      String type = net.layers().get(i).type();
      if (type.equals("Input") || type.equals("Split")) {
        continue;
      }
      for (int id : net.topIds(i)) {
        Blob blob = net.blobs().get(id);
        String name = net.blobNames().get(id);
        if (blob.numAxes() == 4 && seen.add(name) && maps.size() < MAX_MAPS) {
          byte[] png = BlobPictures.featureMaps(blob).encode("png");
          maps.add(Map.of("blob", name, "shape", blob.shapeString(),
              "png", "data:image/png;base64," + Base64.getEncoder().encodeToString(png)));
        }
      }
    }
    return maps;
  }
}
