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

  /** One line split at its last space: the path and what follows it; {@code line} counts from 1. */
  public record Pair(String path, String value, int line) {
  }

  public static List<Entry> read(Path listFile) {
    List<Entry> entries = new ArrayList<>();
    for (Pair p : readPairs(listFile, "path label")) {
      KaffeeException.check(p.value.matches("-?\\d+"), "%s:%d: the label of '%s %s' is not an integer", listFile,
          p.line, p.path, p.value);
      entries.add(new Entry(p.path, Integer.parseInt(p.value), p.line));
    }
    return entries;
  }

  /** The lines of a list of pairs; {@code form} names them in errors ("path label"). */
  public static List<Pair> readPairs(Path listFile, String form) {
    String text;
    try {
      text = Files.readString(listFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KaffeeException(listFile + ": cannot read the list file: " + e.getMessage(), e);
    }
    List<Pair> pairs = new ArrayList<>();
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
      KaffeeException.check(sp > 0 && sp < line.length() - 1, "%s:%d: expected '%s', got '%s'", listFile, lineNo,
          form, line);
      pairs.add(new Pair(line.substring(0, sp), line.substring(sp + 1).strip(), lineNo));
    }
    return pairs;
  }
}
