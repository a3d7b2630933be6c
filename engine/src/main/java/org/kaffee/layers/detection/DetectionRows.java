package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;

/**
 * Reads the detection and ground-truth rows SSD's layers pass between them into boxes by image,
 * then label (both ascending, as the fork's maps): DetectionOutput's {@code image, label, score,
 * xmin, ymin, xmax, ymax} (rows of image -1 skipped) and AnnotatedData's {@code image, label,
 * instance, xmin, ymin, xmax, ymax, difficult} (the first row of image -1 ends them).
 */
public final class DetectionRows {
  private DetectionRows() {
  }

  public static Map<Integer, Map<Integer, List<ScoredBox>>> detections(Blob rows, int background) {
    Map<Integer, Map<Integer, List<ScoredBox>>> out = new TreeMap<>();
    DataView d = rows.dataView();
    for (int i = 0; i < rows.count() / 7; i++) {
      int at = i * 7;
      int image = (int) d.get(at);
      if (image == -1) {
        continue;
      }
      int label = label(d, at, background, "detection");
      add(out, image, label, ScoredBox.normalized((float) d.get(at + 3), (float) d.get(at + 4),
          (float) d.get(at + 5), (float) d.get(at + 6), (float) d.get(at + 2), false));
    }
    return out;
  }

  public static Map<Integer, Map<Integer, List<ScoredBox>>> groundTruth(Blob rows, int background) {
    Map<Integer, Map<Integer, List<ScoredBox>>> out = new TreeMap<>();
    DataView d = rows.dataView();
    for (int i = 0; i < rows.count() / 8; i++) {
      int at = i * 8;
      int image = (int) d.get(at);
      if (image == -1) {
        break;
      }
      int label = label(d, at, background, "ground-truth");
      add(out, image, label, ScoredBox.normalized((float) d.get(at + 3), (float) d.get(at + 4),
          (float) d.get(at + 5), (float) d.get(at + 6), 0, d.get(at + 7) != 0));
    }
    return out;
  }

  private static int label(DataView d, int at, int background, String what) {
    int label = (int) d.get(at + 1);
    KaffeeException.check(label != background, "a %s row of image %d has the background label %d",
        what, (int) d.get(at), background);
    return label;
  }

  private static void add(Map<Integer, Map<Integer, List<ScoredBox>>> out, int image, int label, ScoredBox box) {
    out.computeIfAbsent(image, k -> new TreeMap<>()).computeIfAbsent(label, k -> new ArrayList<>()).add(box);
  }
}
