package org.kaffee.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;

/**
 * A synthetic detection set: filled rectangles and circles of random colours on gray noise, each
 * image with its VOC XML file. Under the output directory it writes {@code images/NNNNNN.png},
 * {@code annotations/NNNNNN.xml}, {@code list.txt} ({@code image annotation} lines for
 * convert_annoset with that directory as root), {@code labelmap.prototxt} (background 0,
 * rectangle 1, circle 2) and {@code labels.txt} (the same names, one a line, for detect). A seed
 * gives the same files. Run as {@code data/make_shapes.sh OUT [COUNT] [SIZE] [SEED]}.
 */
public final class ShapesDataset {
  /** Class names by label; 0 is the background. */
  public static final List<String> CLASSES = List.of("background", "rectangle", "circle");

  private ShapesDataset() {
  }

  /** One object drawn: its label and its corners in pixels (max exclusive). */
  public record Shape(int label, int xmin, int ymin, int xmax, int ymax) {
  }

  /** Writes {@code count} images of {@code size x size} pixels, 1 to 3 objects each; returns their shapes. */
  public static List<List<Shape>> write(Path dir, int count, int size, long seed) {
    KaffeeException.check(count > 0 && size >= 16, "shapes: need count > 0 and size >= 16, got %d and %d", count,
        size);
    Random rng = new Random(seed);
    List<List<Shape>> all = new ArrayList<>();
    StringBuilder list = new StringBuilder();
    try {
      Files.createDirectories(dir.resolve("images"));
      Files.createDirectories(dir.resolve("annotations"));
      for (int i = 0; i < count; i++) {
        String name = String.format(Locale.ROOT, "%06d", i);
        byte[] px = noise(size, rng);
        List<Shape> shapes = place(size, rng);
        for (Shape s : shapes) {
          draw(px, size, s, rng);
        }
        Files.write(dir.resolve("images/" + name + ".png"), new Image(3, size, size, px).encode("png"));
        Files.writeString(dir.resolve("annotations/" + name + ".xml"), xml(name, size, shapes));
        list.append("images/").append(name).append(".png annotations/").append(name).append(".xml\n");
        all.add(shapes);
      }
      Files.writeString(dir.resolve("list.txt"), list.toString());
      StringBuilder map = new StringBuilder();
      for (int l = 0; l < CLASSES.size(); l++) {
        map.append("item {\n  name: \"").append(CLASSES.get(l)).append("\"\n  label: ").append(l)
            .append("\n  display_name: \"").append(CLASSES.get(l)).append("\"\n}\n");
      }
      Files.writeString(dir.resolve("labelmap.prototxt"), map.toString());
      Files.writeString(dir.resolve("labels.txt"), String.join("\n", CLASSES) + "\n");
    } catch (IOException e) {
      throw new KaffeeException("shapes: cannot write under " + dir + ": " + e.getMessage(), e);
    }
    return all;
  }

  private static byte[] noise(int size, Random rng) {
    byte[] px = new byte[3 * size * size];
    for (int i = 0; i < size * size; i++) {
      byte v = (byte) (96 + rng.nextInt(64));
      px[i] = v;
      px[size * size + i] = v;
      px[2 * size * size + i] = v;
    }
    return px;
  }

  /** 1 to 3 objects between a fifth and a half of the side, overlapping each other little. */
  private static List<Shape> place(int size, Random rng) {
    List<Shape> shapes = new ArrayList<>();
    int wanted = 1 + rng.nextInt(3);
    for (int attempt = 0; attempt < 50 && shapes.size() < wanted; attempt++) {
      int label = 1 + rng.nextInt(2);
      int w = size / 5 + rng.nextInt(size / 2 - size / 5 + 1);
      int h = label == 2 ? w : size / 5 + rng.nextInt(size / 2 - size / 5 + 1);
      int x = rng.nextInt(size - w + 1);
      int y = rng.nextInt(size - h + 1);
      Shape s = new Shape(label, x, y, x + w, y + h);
      if (shapes.stream().allMatch(o -> overlap(o, s) < 0.2)) {
        shapes.add(s);
      }
    }
    return shapes;
  }

  private static double overlap(Shape a, Shape b) {
    int w = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
    int h = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double inter = (double) w * h;
    return inter / ((a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter);
  }

  /** A saturated colour far from the gray background, then the shape's pixels. */
  private static void draw(byte[] px, int size, Shape s, Random rng) {
    int[] bgr = {rng.nextInt(64), rng.nextInt(64), rng.nextInt(64)};
    bgr[rng.nextInt(3)] = 192 + rng.nextInt(64);
    double cx = (s.xmin + s.xmax) / 2.0;
    double cy = (s.ymin + s.ymax) / 2.0;
    double r = (s.xmax - s.xmin) / 2.0;
    for (int y = s.ymin; y < s.ymax; y++) {
      for (int x = s.xmin; x < s.xmax; x++) {
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - cy;
        if (s.label == 2 && dx * dx + dy * dy > r * r) {
          continue;
        }
        for (int c = 0; c < 3; c++) {
          px[(c * size + y) * size + x] = (byte) bgr[c];
        }
      }
    }
  }

  private static String xml(String name, int size, List<Shape> shapes) {
    StringBuilder sb = new StringBuilder("<annotation>\n  <filename>" + name + ".png</filename>\n  <size><width>"
        + size + "</width><height>" + size + "</height><depth>3</depth></size>\n");
    for (Shape s : shapes) {
      sb.append("  <object>\n    <name>").append(CLASSES.get(s.label)).append("</name>\n    <difficult>0</difficult>\n")
          .append("    <bndbox><xmin>").append(s.xmin).append("</xmin><ymin>").append(s.ymin).append("</ymin><xmax>")
          .append(s.xmax).append("</xmax><ymax>").append(s.ymax).append("</ymax></bndbox>\n  </object>\n");
    }
    return sb.append("</annotation>\n").toString();
  }

  /** {@code OUT [COUNT] [SIZE] [SEED]}: 100 images of 64 x 64, seed 1 by default. */
  public static void main(String[] args) {
    KaffeeException.check(args.length >= 1 && args.length <= 4, "usage: ShapesDataset OUT [COUNT] [SIZE] [SEED]");
    write(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 100,
        args.length > 2 ? Integer.parseInt(args[2]) : 64, args.length > 3 ? Long.parseLong(args[3]) : 1);
  }
}
