package org.kaffee.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;

/** A Caffe image list: one {@code path label} per line (the path may hold spaces), blank lines skipped. */
public final class ImageList {
  private ImageList() {
  }

  /** One line of the list; {@code line} counts from 1. */
  public record Entry(String path, int label, int line) {
  }

  public static List<Entry> read(Path listFile) {
    String text;
    try {
      text = Files.readString(listFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KaffeeException(listFile + ": cannot read the list file: " + e.getMessage(), e);
    }
    List<Entry> entries = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      KaffeeException.check(sp > 0, "%s:%d: expected 'path label', got '%s'", listFile, lineNo, line);
      String label = line.substring(sp + 1).strip();
      KaffeeException.check(label.matches("-?\\d+"), "%s:%d: the label of '%s' is not an integer", listFile, lineNo,
          line);
      entries.add(new Entry(line.substring(0, sp), Integer.parseInt(label), lineNo));
    }
    return entries;
  }
}
