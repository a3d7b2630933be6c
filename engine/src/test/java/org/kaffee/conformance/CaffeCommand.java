package org.kaffee.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One line of a case's cmd.txt: {@code caffe <verb> -flag value ... 2> <log>}. */
record CaffeCommand(String verb, Map<String, String> flags, String logName, List<String> args) {
  static List<CaffeCommand> readAll(Path cmdFile) throws IOException {
    List<CaffeCommand> out = new ArrayList<>();
    for (String line : Files.readAllLines(cmdFile)) {
      if (line.isBlank()) {
        continue;
      }
      String[] words = line.trim().split("\\s+");
      Map<String, String> flags = new HashMap<>();
      List<String> args = new ArrayList<>();
      String log = "";
      for (int i = 1; i < words.length; i++) {
        String w = words[i];
        if (w.equals("2>")) {
          log = words[++i].replaceFirst("\\.log$", "");
        } else if (w.startsWith("-") && w.contains("=")) {
          flags.put(w.replaceFirst("^-+", "").split("=", 2)[0], w.split("=", 2)[1]);
        } else if (w.startsWith("-") && i + 1 < words.length) {
          flags.put(w.replaceFirst("^-+", ""), words[++i]);
        } else {
          args.add(w);
        }
      }
      String verb = words[0].equals("caffe") && words.length > 1 ? words[1] : words[0];
      if (words[0].equals("caffe")) {
        args.remove(0);
      }
      out.add(new CaffeCommand(verb, flags, log, args));
    }
    return out;
  }

  boolean has(String flag) {
    return flags.containsKey(flag);
  }

  String flag(String name) {
    String v = flags.get(name);
    if (v == null) {
      throw new IllegalArgumentException("cmd.txt line lacks -" + name);
    }
    return v;
  }
}
