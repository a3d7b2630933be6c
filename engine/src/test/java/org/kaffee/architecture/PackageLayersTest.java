package org.kaffee.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/architecture.md, checked on the sources of every module: each package sits
 * on one layer of the table in that document, and a class may name classes of lower layers
 * only (imports and fully qualified names alike). Strictly falling layers leave no room for a
 * cycle. A package missing from the table, or listed but gone, fails too, so the document
 * stays true to the code.
 */
class PackageLayersTest {
  private static final List<String> MODULES = List.of("engine", "serve", "spark", "cli");
  private static final Pattern PACKAGE = Pattern.compile("^package org\\.kaffee\\.([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.kaffee\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");
  private static final Pattern PACKAGE_NAME = Pattern.compile("`([\\w.]+)`");
  private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|([^|]+)\\|");

  @Test
  void everyReferencePointsToALowerLayer() throws IOException {
    Map<String, Integer> layers = documentedLayers();
    Map<String, Set<String>> references = references();
    List<String> upward = new ArrayList<>();
    for (var entry : references.entrySet()) {
      String from = entry.getKey();
      for (String to : entry.getValue()) {
        if (layers.containsKey(to) && layers.containsKey(from) && layers.get(to) >= layers.get(from)) {
          upward.add(from + " (" + layers.get(from) + ") -> " + to + " (" + layers.get(to) + ")");
        }
      }
    }
    assertEquals(List.of(), upward, "references that do not point to a lower layer");
  }

  @Test
  void theTableListsExactlyThePackagesThatExist() throws IOException {
    Set<String> existing = new TreeSet<>(references().keySet());
    existing.add("proto");
    existing.add("onnx.proto");
    assertEquals(existing, new TreeSet<>(documentedLayers().keySet()),
        "packages in docs/architecture.md's layer table vs packages in the sources");
  }

  /** Package (without org.kaffee.) to its layer number, from the table in docs/architecture.md. */
  private static Map<String, Integer> documentedLayers() throws IOException {
    Map<String, Integer> layers = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("docs/architecture.md"))) {
      Matcher m = TABLE_ROW.matcher(line);
      if (m.find()) {
        Matcher name = PACKAGE_NAME.matcher(m.group(2));
        while (name.find()) {
          layers.put(name.group(1), Integer.parseInt(m.group(1)));
        }
      }
    }
    assertTrue(layers.size() > 10, "docs/architecture.md has no layer table");
    return layers;
  }

  /** Each package of the main sources to the other packages its classes name. */
  private static Map<String, Set<String>> references() throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String module : MODULES) {
      try (Stream<Path> files = Files.walk(Path.of(module, "src/main/java"))) {
        for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
          String source = Files.readString(file);
          Matcher pm = PACKAGE.matcher(source);
          assertTrue(pm.find(), file + " has no package");
          Set<String> targets = graph.computeIfAbsent(pm.group(1), k -> new TreeSet<>());
          Matcher rm = REFERENCE.matcher(source);
          while (rm.find()) {
            if (!rm.group(1).equals(pm.group(1))) {
              targets.add(rm.group(1));
            }
          }
        }
      }
    }
    return graph;
  }
}
