package org.kaffee.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kaffee.core.KaffeeException;

/** A labels file as Caffe's examples use it (synset_words.txt): line i names class i. */
public final class Labels {
  private Labels() {
  }

  /** The lines of the file, trailing blank lines dropped. */
  public static List<String> read(Path file) {
    List<String> lines;
    try {
      lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot read labels file " + file + ": " + e.getMessage(), e);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
      lines.remove(lines.size() - 1);
    }
    KaffeeException.check(!lines.isEmpty(), "labels file %s is empty", file);
    return lines;
  }
}
