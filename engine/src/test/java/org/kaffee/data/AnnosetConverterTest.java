package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Annotation;
import org.kaffee.proto.Caffe.AnnotationGroup;
import org.kaffee.tools.ShapesDataset;

/** convert_annoset: VOC XML and box lists into AnnotatedDatums, read back box for box. */
class AnnosetConverterTest {
  @TempDir
  Path tmp;

  private static List<AnnotatedDatum> readBack(Path db) throws InvalidProtocolBufferException {
    List<AnnotatedDatum> out = new ArrayList<>();
    try (Database d = Database.openForReading("lmdb", db); Database.Cursor c = d.cursor()) {
      for (; c.valid(); c.next()) {
        out.add(AnnotatedDatum.parseFrom(c.value()));
      }
    }
    return out;
  }

  private AnnosetConverter.Options detection(String labelType) {
    AnnosetConverter.Options o = new AnnosetConverter.Options();
    o.annoType = "detection";
    o.labelType = labelType;
    o.labelMapFile = tmp.resolve("set/labelmap.prototxt");
    return o;
  }

  @Test
  void vocXmlBoxesComeBackNormalizedWithTheLabelMapsLabels() throws Exception {
    int size = 32;
    List<List<ShapesDataset.Shape>> drawn = ShapesDataset.write(tmp.resolve("set"), 4, size, 7);
    AnnosetConverter.Options o = detection("xml");
    o.images.encoded = true;
    o.images.encodeType = "png";
    int n = AnnosetConverter.convert(tmp + "/set/", tmp.resolve("set/list.txt"), tmp.resolve("db"), o);
    assertEquals(4, n);
    List<AnnotatedDatum> back = readBack(tmp.resolve("db"));
    assertEquals(4, back.size());
    for (int i = 0; i < 4; i++) {
      AnnotatedDatum a = back.get(i);
      assertEquals(AnnotatedDatum.AnnotationType.BBOX, a.getType());
      assertTrue(a.getDatum().getEncoded());
      assertEquals(3, a.getDatum().getChannels());
      assertEquals(size, a.getDatum().getHeight());
      assertEquals(size, a.getDatum().getWidth());
      // expected: the drawn shapes in file order, grouped by label in order of first appearance
      List<Integer> labels = new ArrayList<>();
      for (ShapesDataset.Shape s : drawn.get(i)) {
        if (!labels.contains(s.label())) {
          labels.add(s.label());
        }
      }
      assertEquals(labels.size(), a.getAnnotationGroupCount());
      for (int g = 0; g < labels.size(); g++) {
        AnnotationGroup group = a.getAnnotationGroup(g);
        int label = labels.get(g);
        assertEquals(label, group.getGroupLabel());
        List<ShapesDataset.Shape> ofLabel = drawn.get(i).stream().filter(s -> s.label() == label).toList();
        assertEquals(ofLabel.size(), group.getAnnotationCount());
        for (int k = 0; k < ofLabel.size(); k++) {
          Annotation an = group.getAnnotation(k);
          ShapesDataset.Shape s = ofLabel.get(k);
          assertEquals(k, an.getInstanceId());
          assertEquals(s.xmin() / (float) size, an.getBbox().getXmin());
          assertEquals(s.ymin() / (float) size, an.getBbox().getYmin());
          assertEquals(s.xmax() / (float) size, an.getBbox().getXmax());
          assertEquals(s.ymax() / (float) size, an.getBbox().getYmax());
        }
      }
    }
  }

  private void oneImage(String annotationName, String annotation) throws IOException {
    ShapesDataset.write(tmp.resolve("set"), 1, 20, 1);
    Files.writeString(tmp.resolve("set/" + annotationName), annotation);
    Files.writeString(tmp.resolve("set/one.txt"), "images/000000.png " + annotationName + "\n");
  }

  @Test
  void boxListsAreLabelAndPixelCornersPerLine() throws Exception {
    oneImage("boxes.txt", "3 2 4 10 12\n1 0 0 20 20\n3 5.5 1 6 2\n");
    AnnosetConverter.convert(tmp + "/set/", tmp.resolve("set/one.txt"), tmp.resolve("db"), detection("txt"));
    AnnotatedDatum a = readBack(tmp.resolve("db")).get(0);
    assertEquals(2, a.getAnnotationGroupCount());
    AnnotationGroup three = a.getAnnotationGroup(0);
    assertEquals(3, three.getGroupLabel());
    assertEquals(2, three.getAnnotationCount());
    assertEquals(0.1f, three.getAnnotation(0).getBbox().getXmin());
    assertEquals(0.2f, three.getAnnotation(0).getBbox().getYmin());
    assertEquals(0.5f, three.getAnnotation(0).getBbox().getXmax());
    assertEquals(0.6f, three.getAnnotation(0).getBbox().getYmax());
    assertEquals(1, three.getAnnotation(1).getInstanceId());
    assertEquals(5.5f / 20, three.getAnnotation(1).getBbox().getXmin());
    assertEquals(1, a.getAnnotationGroup(1).getGroupLabel());
    assertEquals(1f, a.getAnnotationGroup(1).getAnnotation(0).getBbox().getXmax());
  }

  @Test
  void difficultObjectsAreMarked() throws Exception {
    oneImage("a.xml", "<annotation><size><width>20</width><height>10</height></size>\n"
        + "<object><name>circle</name><difficult>1</difficult>"
        + "<bndbox><xmin>2</xmin><ymin>1</ymin><xmax>6</xmax><ymax>5</ymax></bndbox></object></annotation>\n");
    AnnosetConverter.convert(tmp + "/set/", tmp.resolve("set/one.txt"), tmp.resolve("db"), detection("xml"));
    Annotation an = readBack(tmp.resolve("db")).get(0).getAnnotationGroup(0).getAnnotation(0);
    assertTrue(an.getBbox().getDifficult());
    // normalized by the file's size (20 x 10), not the image's
    assertEquals(0.1f, an.getBbox().getXmin());
    assertEquals(0.5f, an.getBbox().getYmax());
  }

  @Test
  void aMissingAnnotationFileGivesAnImageWithoutBoxes() throws Exception {
    ShapesDataset.write(tmp.resolve("set"), 1, 20, 1);
    Files.writeString(tmp.resolve("set/one.txt"), "images/000000.png annotations/none.xml\n");
    AnnosetConverter.convert(tmp + "/set/", tmp.resolve("set/one.txt"), tmp.resolve("db"), detection("xml"));
    AnnotatedDatum a = readBack(tmp.resolve("db")).get(0);
    assertEquals(0, a.getAnnotationGroupCount());
    assertEquals(AnnotatedDatum.AnnotationType.BBOX, a.getType());
  }

  private String failure(String annotationName, String annotation, String labelType) throws IOException {
    oneImage(annotationName, annotation);
    return assertThrows(KaffeeException.class, () -> AnnosetConverter.convert(tmp + "/set/",
        tmp.resolve("set/one.txt"), tmp.resolve("db_" + annotationName), detection(labelType))).getMessage();
  }

  @Test
  void anUnknownNameNamesFileAndLine() throws Exception {
    String m = failure("a.xml", "<annotation>\n<size><width>20</width><height>20</height></size>\n<object>\n"
        + "<name>triangle</name>\n<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>5</xmax><ymax>5</ymax></bndbox>\n"
        + "</object></annotation>\n", "xml");
    assertEquals(tmp.resolve("set/a.xml") + ":4: unknown name 'triangle' (not in the label map)", m);
  }

  @Test
  void badXmlAndBadBoxesNameFileAndLine() throws Exception {
    assertEquals(tmp.resolve("set/a.xml") + ":3: bndbox/xmax is not an integer: 'wide'",
        failure("a.xml", "<annotation>\n<object><name>circle</name>\n<bndbox><xmin>1</xmin><ymin>1</ymin>"
            + "<xmax>wide</xmax><ymax>5</ymax></bndbox></object></annotation>\n", "xml"));
    String malformed = failure("b.xml", "<annotation>\n<object>\n</annotation>\n", "xml");
    assertTrue(malformed.startsWith(tmp.resolve("set/b.xml") + ":3: "), malformed);
    assertEquals(tmp.resolve("set/c.xml") + ":2: object has no bndbox",
        failure("c.xml", "<annotation>\n<object><name>circle</name></object></annotation>\n", "xml"));
    assertEquals(tmp.resolve("set/d.txt") + ":2: expected 'label xmin ymin xmax ymax', got '1 2 3'",
        failure("d.txt", "1 0 0 4 4\n1 2 3\n", "txt"));
  }

  @Test
  void aNameTwiceInTheLabelMapIsRefusedWithCheckLabel() throws Exception {
    ShapesDataset.write(tmp.resolve("set"), 1, 20, 1);
    Path map = tmp.resolve("map.prototxt");
    Files.writeString(map, "item { name: \"a\" label: 1 }\nitem { name: \"a\" label: 2 }\n");
    assertEquals(2, AnnosetConverter.nameToLabel(map, false).get("a"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> AnnosetConverter.nameToLabel(map, true));
    assertEquals(map + ": the name 'a' is given more than once", e.getMessage());
  }
}
