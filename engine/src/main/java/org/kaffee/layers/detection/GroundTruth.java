package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One ground-truth box as SSD's AnnotatedData emits it: a row of eight values {@code item,
 * label, instance, xmin, ymin, xmax, ymax, difficult}; rows with item -1 stand for "no box".
 */
record GroundTruth(int item, int label, Box box, boolean difficult) {
  static final int ROW = 8;

  /** The boxes of the rows (item -1 rows left out), labels and items truncated as C++ casts them. */
  static List<GroundTruth> read(double[] rows) {
    List<GroundTruth> out = new ArrayList<>();
    for (int at = 0; at + ROW <= rows.length; at += ROW) {
      int item = (int) rows[at];
      if (item == -1) {
        continue;
      }
      out.add(new GroundTruth(item, (int) rows[at + 1],
          new Box(rows[at + 3], rows[at + 4], rows[at + 5], rows[at + 6]), rows[at + 7] != 0));
    }
    return out;
  }

  /** The boxes of each image, in row order, difficult ones only when {@code useDifficult}. */
  static Map<Integer, List<GroundTruth>> byImage(List<GroundTruth> boxes, boolean useDifficult) {
    Map<Integer, List<GroundTruth>> out = new TreeMap<>();
    for (GroundTruth g : boxes) {
      if (useDifficult || !g.difficult) {
        out.computeIfAbsent(g.item, k -> new ArrayList<>()).add(g);
      }
    }
    return out;
  }
}
