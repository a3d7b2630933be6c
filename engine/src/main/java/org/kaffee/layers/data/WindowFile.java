package org.kaffee.layers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;

/**
 * The window file of Caffe's R-CNN fine-tuning: for each image, {@code # index}, its path,
 * channels, height, width and window count, then one {@code class overlap x1 y1 x2 y2} line
 * per window. A window overlapping its object by at least {@code fg_threshold} is foreground
 * with its class; one under {@code bg_threshold} is background, class 0; others are unused.
 * Caffe reads the file as a stream of words; so does this, counting lines for its errors.
 */
final class WindowFile {
  record Entry(String path, int channels, int height, int width) {}

  record Window(int image, int label, float overlap, int x1, int y1, int x2, int y2) {}

  final List<Entry> images = new ArrayList<>();
  final List<Window> foreground = new ArrayList<>();
  final List<Window> background = new ArrayList<>();
  /** Windows per class (0 = background), as Caffe logs them. */
  final Map<Integer, Integer> classCounts = new TreeMap<>(Map.of(0, 0));

  WindowFile(Path file, String rootFolder, float fgThreshold, float bgThreshold) {
    Words words = new Words(file, ProtoFiles.readString(file));
    if (!words.hasNext()) {
      throw new KaffeeException(file + ": the window file is empty");
    }
    while (words.hasNext()) {
      words.expect("#");
      int index = words.integer("image index");
      if (index != images.size()) {
        throw words.error("image index " + index + " where " + images.size() + " was expected");
      }
      String path = rootFolder + words.next("image path");
      Entry entry = new Entry(path, words.integer("channels"), words.integer("height"), words.integer("width"));
      images.add(entry);
      int count = words.integer("window count");
      for (int i = 0; i < count; i++) {
        int label = words.integer("class");
        float overlap = words.real("overlap");
        Window w = new Window(index, label, overlap, words.integer("x1"), words.integer("y1"),
            words.integer("x2"), words.integer("y2"));
        if (w.x2 < w.x1 || w.y2 < w.y1 || w.x1 < 0 || w.y1 < 0 || w.x2 >= entry.width || w.y2 >= entry.height) {
          throw words.error(String.format("window (%d, %d)-(%d, %d) is not inside the %dx%d image",
              w.x1, w.y1, w.x2, w.y2, entry.width, entry.height));
        }
        if (overlap >= fgThreshold) {
          if (label <= 0) {
            throw words.error("a foreground window (overlap " + overlap + ") needs a class above 0, got " + label);
          }
          foreground.add(w);
          classCounts.merge(label, 1, Integer::sum);
        } else if (overlap < bgThreshold) {
          background.add(new Window(index, 0, 0, w.x1, w.y1, w.x2, w.y2));
          classCounts.merge(0, 1, Integer::sum);
        }
      }
    }
  }

  /** Whitespace-separated words with the line each starts on. */
  private static final class Words {
    private final Path file;
    private final String[] lines;
    private int line;
    private String[] current = new String[0];
    private int at;

    Words(Path file, String text) {
      this.file = file;
      this.lines = text.split("\r?\n", -1);
      this.line = -1;
    }

    boolean hasNext() {
      while (at >= current.length) {
        if (++line >= lines.length) {
          return false;
        }
        String stripped = lines[line].strip();
        current = stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
        at = 0;
      }
      return true;
    }

    String next(String what) {
      if (!hasNext()) {
        throw new KaffeeException(file + ": ends where the " + what + " was expected");
      }
      return current[at++];
    }

    void expect(String word) {
      String got = next("'" + word + "'");
      if (!got.equals(word)) {
        throw error("expected '" + word + "' to start an image, got '" + got + "'");
      }
    }

    int integer(String what) {
      String word = next(what);
      try {
        return Integer.parseInt(word);
      } catch (NumberFormatException e) {
        throw error("the " + what + " '" + word + "' is not an integer");
      }
    }

    float real(String what) {
      String word = next(what);
      try {
        return Float.parseFloat(word);
      } catch (NumberFormatException e) {
        throw error("the " + what + " '" + word + "' is not a number");
      }
    }

    KaffeeException error(String message) {
      return new KaffeeException(file + ":" + (line + 1) + ": " + message);
    }
  }
}
