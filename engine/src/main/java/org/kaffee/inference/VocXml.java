package org.kaffee.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.kaffee.core.KaffeeException;
import org.kaffee.layers.detection.Box;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * A PASCAL VOC annotation file: each {@code object}'s name, {@code difficult} flag and
 * {@code bndbox} corners in pixels, divided by the {@code size} it declares (as SSD's
 * convert_annoset normalizes them; the image's own size when the file gives none).
 */
final class VocXml {
  private VocXml() {
  }

  static List<GroundTruth> read(Path file, Map<String, Integer> labels, int imageWidth, int imageHeight) {
    Element root = parse(file).getDocumentElement();
    Element size = optionalChild(root, "size");
    double width = size == null ? imageWidth : number(size, "width", imageWidth, file);
    double height = size == null ? imageHeight : number(size, "height", imageHeight, file);
    KaffeeException.check(width > 0 && height > 0, "%s: the image size %sx%s is not positive", file, width, height);
    List<GroundTruth> truth = new ArrayList<>();
    NodeList nodes = root.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (!(nodes.item(i) instanceof Element object) || !object.getTagName().equals("object")) {
        continue;
      }
      String name = text(object, "name", file);
      Integer label = labels.get(name);
      KaffeeException.check(label != null, "%s: object '%s' is not in the --labels file", file, name);
      Element box = child(object, "bndbox", file);
      truth.add(new GroundTruth(label, new Box(number(box, "xmin", file) / width, number(box, "ymin", file) / height,
          number(box, "xmax", file) / width, number(box, "ymax", file) / height),
          number(object, "difficult", 0, file) != 0));
    }
    return truth;
  }

  private static org.w3c.dom.Document parse(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // annotations are data: no DTDs, no external entities
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(file.toFile());
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new KaffeeException(file + ": not a readable VOC annotation: " + e.getMessage(), e);
    }
  }

  /** The first direct child named {@code tag} (a person's parts have names and boxes of their own), or null. */
  private static Element optionalChild(Element parent, String tag) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
        return e;
      }
    }
    return null;
  }

  private static Element child(Element parent, String tag, Path file) {
    Element e = optionalChild(parent, tag);
    KaffeeException.check(e != null, "%s: <%s> has no <%s>", file, parent.getTagName(), tag);
    return e;
  }

  private static String text(Element parent, String tag, Path file) {
    return child(parent, tag, file).getTextContent().strip();
  }

  private static double number(Element parent, String tag, Path file) {
    String text = text(parent, tag, file);
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new KaffeeException(String.format("%s: <%s> of <%s> is not a number: '%s'", file, tag,
          parent.getTagName(), text), e);
    }
  }

  private static double number(Element parent, String tag, double fallback, Path file) {
    return optionalChild(parent, tag) == null ? fallback : number(parent, tag, file);
  }
}
