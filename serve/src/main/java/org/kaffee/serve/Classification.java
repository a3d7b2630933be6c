package org.kaffee.serve;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kaffee.api.Classifier;
import org.kaffee.api.Network;
import org.kaffee.api.Prediction;
import org.kaffee.api.Preprocessing;
import org.kaffee.core.Blob;
import org.kaffee.core.Net;
import org.kaffee.data.Image;
import org.kaffee.visual.BlobPictures;

/** "Classify one": an uploaded image through the API's Classifier, its top 5 and the feature maps on the way. */
final class Classification {
  private static final int TOP = 5;
  private static final int MAX_MAPS = 8;

  private Classification() {
  }

  /** {@code labels} may be empty: classes are then named by their index. */
  static Map<String, Object> run(Network network, Preprocessing preprocessing, byte[] image,
      List<String> labels) {
    Classifier classifier = new Classifier(network, preprocessing, labels.isEmpty() ? null : labels);
    boolean colour = network.inputShape()[1] == 3;
    List<Map<String, Object>> top = new ArrayList<>();
    for (Prediction p : classifier.classify(Image.decode(image, colour, "uploaded image"), TOP)) {
      top.add(Map.of("index", p.index(), "label", p.label(), "probability", (double) p.probability()));
    }
    Net net = network.core();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("output", net.outputBlobNames().get(0));
    result.put("top", top);
    result.put("maps", maps(net));
    return result;
  }

  /** PNG data URLs of the 4-axis tops of the net's layers (not the input, not the inserted splits). */
  private static List<Map<String, String>> maps(Net net) {
    List<Map<String, String>> maps = new ArrayList<>();
    Set<String> seen = new HashSet<>();
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
