package org.kaffee.inference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.AnnotationFiles;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.NormBox;
import org.kaffee.io.WorkDir;
import org.kaffee.layers.detection.Box;
import org.kaffee.proto.Caffe.AnnotatedDatum;

/**
 * The INPUT arguments of {@code evaluate --detection}: databases of SSD's AnnotatedDatum (an
 * image and its boxes, as convert_annoset writes them) and lists of {@code image annotation.xml}
 * lines (VOC files, both paths relative to the root folder; object names are looked up in the
 * labels). Each record's ground truth is kept until {@link #truth} takes it.
 */
public final class AnnotatedInputs implements BatchRunner.Source {
  private final List<String> arguments;
  private final String backend;
  private final String rootFolder;
  private final boolean color;
  private final Map<String, Integer> labels = new HashMap<>();
  /** By identity: the runner hands back the very records it was given. */
  private final Map<Record, List<GroundTruth>> truth = new IdentityHashMap<>();

  /** {@code labels} (may be null) name class k on line k; a list of XML files needs them. */
  public AnnotatedInputs(List<String> arguments, String backend, String rootFolder, boolean color,
      List<String> labels) {
    KaffeeException.check(!arguments.isEmpty(), "no INPUT given: an AnnotatedDatum database or an 'image xml' list");
    this.arguments = arguments;
    this.backend = backend;
    this.rootFolder = rootFolder;
    this.color = color;
    for (int i = 0; labels != null && i < labels.size(); i++) {
      this.labels.putIfAbsent(labels.get(i).strip(), i);
    }
  }

  @Override
  public int count() {
    int total = 0;
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      total += Records.isDatabase(path) ? Records.count(backend, path) : pairs(argument, path).size();
    }
    return total;
  }

  @Override
  public void forEach(Consumer<Record> sink) {
    for (String argument : arguments) {
      Path path = WorkDir.resolve(argument);
      if (Records.isDatabase(path)) {
        readDatabase(argument, path, sink);
      } else {
        readList(argument, path, sink);
      }
    }
  }

  /** The ground truth of a record this source gave, handed out once. */
  public List<GroundTruth> truth(Record record) {
    List<GroundTruth> boxes = truth.remove(record);
    KaffeeException.check(boxes != null, "%s: no ground truth was read for this record", record.name());
    return boxes;
  }

  private void readDatabase(String argument, Path path, Consumer<Record> sink) {
    DataTransformer decoder = Records.decoder(color, path);
    Records.forEach(backend, path, (key, value) -> {
      String name = argument + ":" + key;
      AnnotatedDatum annotated;
      try {
        annotated = AnnotatedDatum.parseFrom(value);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        annotated = null;
      }
      // a plain Datum parses as an AnnotatedDatum without one: the whole database is of the wrong kind
      KaffeeException.check(annotated != null && annotated.hasDatum(),
          "%s: not an AnnotatedDatum (an image with its boxes, as convert_annoset writes)", name);
      Record record = Records.record(name, annotated.getDatum(), decoder, color);
      truth.put(record, boxes(org.kaffee.data.GroundTruth.of(annotated)));
      sink.accept(record);
    });
  }

  /** The boxes as convert_annoset stored them (AnnotatedDatum) or as it reads them (VOC XML). */
  private static List<GroundTruth> boxes(List<org.kaffee.data.GroundTruth> stored) {
    List<GroundTruth> boxes = new ArrayList<>();
    for (org.kaffee.data.GroundTruth t : stored) {
      NormBox b = t.box();
      boxes.add(new GroundTruth(t.label(), new Box(b.xmin(), b.ymin(), b.xmax(), b.ymax()), b.difficult()));
    }
    return boxes;
  }

  private void readList(String argument, Path list, Consumer<Record> sink) {
    KaffeeException.check(!labels.isEmpty(), "INPUT %s: a list of VOC annotation files needs --labels to number the "
        + "object names", argument);
    for (String[] pair : pairs(argument, list)) {
      Record record = Records.image(pair[0], WorkDir.resolve(rootFolder + pair[0]), -1, color);
      if (record.image() != null) {
        truth.put(record, boxes(AnnotationFiles.readXml(WorkDir.resolve(rootFolder + pair[1]), labels,
            record.image().height, record.image().width)));
      }
      sink.accept(record);
    }
  }

  /** The {@code image annotation} lines of a list (the image path may hold spaces), blank lines skipped. */
  private static List<String[]> pairs(String argument, Path list) {
    KaffeeException.check(Files.isRegularFile(list), "INPUT %s: no such file, nor an AnnotatedDatum database",
        argument);
    List<String> lines;
    try {
      lines = Files.readAllLines(list, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KaffeeException("cannot read the list " + argument + ": " + e.getMessage(), e);
    }
    List<String[]> pairs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      KaffeeException.check(space > 0, "%s:%d: expected 'image annotation.xml', got '%s'", argument, i + 1, line);
      pairs.add(new String[] {line.substring(0, space).strip(), line.substring(space + 1)});
    }
    return pairs;
  }
}
