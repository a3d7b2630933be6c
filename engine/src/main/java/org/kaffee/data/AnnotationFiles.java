package org.kaffee.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.kaffee.core.KaffeeException;
import org.kaffee.log.Glog;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The box files convert_annoset reads (the fork's io.cpp): a VOC XML file ({@code size},
 * {@code object/name}, {@code difficult}, {@code bndbox} in integer pixels) or a box list (one
 * {@code label xmin ymin xmax ymax} per line, in pixels). Boxes come out normalized by the image
 * size, in file order. Errors name the file and line.
 */
public final class AnnotationFiles {
  private AnnotationFiles() {
  }

  /** A box list; {@code height x width} is the image's size. */
  public static List<GroundTruth> readTxt(Path file, int height, int width) {
    List<GroundTruth> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : readString(file).split("\n", -1)) {
      lineNo++;
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      String[] f = t.split("\\s+");
      KaffeeException.check(f.length == 5, "%s:%d: expected 'label xmin ymin xmax ymax', got '%s'", file, lineNo, t);
      try {
        int label = Integer.parseInt(f[0]);
        float[] c = new float[4];
        for (int i = 0; i < 4; i++) {
          c[i] = Float.parseFloat(f[i + 1]);
        }
        out.add(box(label, c[0], c[1], c[2], c[3], false, height, width, file + ":" + lineNo));
      } catch (NumberFormatException e) {
        throw new KaffeeException(file + ":" + lineNo + ": expected 'label xmin ymin xmax ymax' numbers, got '" + t
            + "'", e);
      }
    }
    return out;
  }

  /**
   * A VOC XML file; each object's name is looked up in {@code nameToLabel}. The image's own size
   * stands in when the file gives none (with a warning, as the fork does).
   */
  public static List<GroundTruth> readXml(Path file, Map<String, Integer> nameToLabel, int imageHeight,
      int imageWidth) {
    VocHandler h = new VocHandler(file, nameToLabel);
    try {
      SAXParserFactory factory = SAXParserFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.newSAXParser().parse(file.toFile(), h);
    } catch (SAXParseException e) {
      throw new KaffeeException(file + ":" + e.getLineNumber() + ": " + e.getMessage(), e);
    } catch (SAXException | ParserConfigurationException e) {
      throw new KaffeeException(file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new KaffeeException(file + ": cannot read: " + e.getMessage(), e);
    }
    int height = h.height;
    int width = h.width;
    if (height <= 0 || width <= 0) {
      Glog.warn("When parsing %s: no size/height and size/width; using the image's %dx%d", file, imageHeight,
          imageWidth);
      height = imageHeight;
      width = imageWidth;
    }
    if (height != imageHeight) {
      Glog.warn("%s inconsistent image height.", file);
    }
    if (width != imageWidth) {
      Glog.warn("%s inconsistent image width.", file);
    }
    List<GroundTruth> out = new ArrayList<>();
    for (VocObject o : h.objects) {
      out.add(box(o.label, o.box[0], o.box[1], o.box[2], o.box[3], o.difficult, height, width, file + ":" + o.line));
    }
    return out;
  }

  private static GroundTruth box(int label, float xmin, float ymin, float xmax, float ymax, boolean difficult,
      int height, int width, String where) {
    if (xmin < 0 || ymin < 0 || xmax > width || ymax > height) {
      Glog.warn("%s bounding box exceeds image boundary.", where);
    }
    if (xmin > xmax || ymin > ymax) {
      Glog.warn("%s bounding box irregular.", where);
    }
    return new GroundTruth(label, 0,
        new NormBox(xmin / width, ymin / height, xmax / width, ymax / height, difficult));
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KaffeeException(file + ": cannot read the annotation file: " + e.getMessage(), e);
    }
  }

  private static final class VocObject {
    int line;
    Integer label;
    boolean difficult;
    float[] box;
  }

  /** Collects size and objects; every error carries the line of the element at fault. */
  private static final class VocHandler extends DefaultHandler {
    private final Path file;
    private final Map<String, Integer> nameToLabel;
    private final List<String> path = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final List<VocObject> objects = new ArrayList<>();
    private Locator locator;
    private VocObject current;
    private float[] bndbox;
    private int height;
    private int width;

    VocHandler(Path file, Map<String, Integer> nameToLabel) {
      this.file = file;
      this.nameToLabel = nameToLabel;
    }

    @Override
    public void setDocumentLocator(Locator locator) {
      this.locator = locator;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes) {
      path.add(qName);
      text.setLength(0);
      if (at("annotation", "object")) {
        current = new VocObject();
        current.line = locator.getLineNumber();
      } else if (at("annotation", "object", "bndbox")) {
        bndbox = new float[4];
      }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
      text.append(ch, start, length);
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
      String value = text.toString().strip();
      if (at("annotation", "size", "height")) {
        height = integer(value, "size/height");
      } else if (at("annotation", "size", "width")) {
        width = integer(value, "size/width");
      } else if (at("annotation", "object", "name")) {
        current.label = nameToLabel.get(value);
        if (current.label == null) {
          throw new KaffeeException(where() + ": unknown name '" + value + "' (not in the label map)");
        }
      } else if (at("annotation", "object", "difficult")) {
        current.difficult = value.equals("1");
      } else if (path.size() == 4 && at("annotation", "object", "bndbox", qName)) {
        int i = List.of("xmin", "ymin", "xmax", "ymax").indexOf(qName);
        if (i >= 0) {
          bndbox[i] = integer(value, "bndbox/" + qName);
        }
      } else if (at("annotation", "object", "bndbox")) {
        current.box = bndbox;
      } else if (at("annotation", "object")) {
        KaffeeException.check(current.label != null, "%s:%d: object has no name", file, current.line);
        KaffeeException.check(current.box != null, "%s:%d: object has no bndbox", file, current.line);
        objects.add(current);
        current = null;
      }
      text.setLength(0);
      path.remove(path.size() - 1);
    }

    private boolean at(String... names) {
      return path.equals(List.of(names));
    }

    private int integer(String value, String field) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new KaffeeException(where() + ": " + field + " is not an integer: '" + value + "'", e);
      }
    }

    private String where() {
      return file + ":" + locator.getLineNumber();
    }
  }
}
