package org.kaffee.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The top shapes a layer case's README.txt records ({@code top shapes: {'out': [2, 4, 3, 3]}}). */
final class TopShapes {
  private static final Pattern ENTRY = Pattern.compile("'([^']+)': \\[([0-9, ]*)\\]");
  private final Map<String, int[]> shapes;

  private TopShapes(Map<String, int[]> shapes) {
    this.shapes = shapes;
  }

  static TopShapes of(Path caseDir) throws IOException {
    Map<String, int[]> shapes = new HashMap<>();
    Path readme = caseDir.resolve("README.txt");
    if (Files.exists(readme)) {
      for (String line : Files.readAllLines(readme)) {
        if (line.startsWith("top shapes:")) {
          Matcher m = ENTRY.matcher(line);
          while (m.find()) {
            shapes.put(m.group(1), Arrays.stream(m.group(2).split(",\\s*")).filter(s -> !s.isBlank())
                .mapToInt(Integer::parseInt).toArray());
          }
        }
      }
    }
    return new TopShapes(shapes);
  }

  /** Null when Caffe recorded no shape for the blob or Kaffee's equals it; else what differs. */
  String check(String what, String blob, int[] kaffee) {
    int[] caffe = shapes.get(blob);
    if (caffe == null || Arrays.equals(caffe, kaffee)) {
      return null;
    }
    return what + ": Caffe's shape " + Arrays.toString(caffe) + ", Kaffee's " + Arrays.toString(kaffee);
  }
}
