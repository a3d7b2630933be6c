package org.kaffee.layers.detection;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The matches of one image's priors, per location class (-1 when locations are shared): for
 * each prior the index of its ground-truth box in the image's list, -1 for none, -2 for a
 * prior left out (ignore_cross_boundary_bbox), and its best overlap with a box. Iterated in
 * label order, as the fork's std::map.
 */
record Matches(SortedMap<Integer, int[]> indices, SortedMap<Integer, double[]> overlaps) {
  Matches() {
    this(new TreeMap<>(), new TreeMap<>());
  }

  /** How many priors are matched to a box, over all labels. */
  int count() {
    int n = 0;
    for (int[] match : indices.values()) {
      for (int m : match) {
        if (m > -1) {
          n++;
        }
      }
    }
    return n;
  }
}
