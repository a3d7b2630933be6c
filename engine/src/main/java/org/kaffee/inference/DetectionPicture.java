package org.kaffee.inference;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.kaffee.api.Detection;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.io.AtomicFiles;

/**
 * detect's {@code --draw}: each image as a PNG with its boxes outlined in their class's colour
 * and labelled "name score" on a band of that colour, written atomically.
 */
public final class DetectionPicture {
  /** Distinct, saturated colours; class k gets colour k modulo their number. */
  private static final Color[] PALETTE = {
      new Color(230, 25, 75), new Color(60, 180, 75), new Color(0, 130, 200), new Color(245, 130, 48),
      new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230), new Color(210, 245, 60)};
  private static final int LINE = 2;

  private DetectionPicture() {
  }

  /** The colour boxes of class {@code label} are drawn in. */
  public static Color colour(int label) {
    return PALETTE[Math.floorMod(label, PALETTE.length)];
  }

  /** The file an input's picture goes to in {@code dir}: its name, path separators and odd characters as '_'. */
  public static Path fileFor(Path dir, String input) {
    String name = input.replaceAll("[^A-Za-z0-9._-]", "_");
    int dot = name.lastIndexOf('.');
    return dir.resolve((dot > 0 ? name.substring(0, dot) : name) + ".png");
  }

  /** The image (gray or BGR) in RGB with the detections drawn on it. */
  public static BufferedImage draw(Image image, List<Detection> detections) {
    BufferedImage picture = new BufferedImage(image.width, image.height, BufferedImage.TYPE_INT_RGB);
    int plane = image.height * image.width;
    for (int i = 0; i < plane; i++) {
      int b = image.pixels[i] & 0xff;
      int g = image.channels == 3 ? image.pixels[plane + i] & 0xff : b;
      int r = image.channels == 3 ? image.pixels[2 * plane + i] & 0xff : b;
      picture.setRGB(i % image.width, i / image.width, (r << 16) | (g << 8) | b);
    }
    Graphics2D g = picture.createGraphics();
    // hard edges: a box's pixels are exactly its colour
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    // weakest first, so the best box ends on top
    for (int k = detections.size() - 1; k >= 0; k--) {
      Detection d = detections.get(k);
      int x0 = clamp(Math.round(d.xmin()), image.width);
      int y0 = clamp(Math.round(d.ymin()), image.height);
      int x1 = clamp(Math.round(d.xmax()), image.width);
      int y1 = clamp(Math.round(d.ymax()), image.height);
      g.setColor(colour(d.label()));
      outline(g, x0, y0, x1, y1);
      String text = String.format(Locale.ROOT, "%s %.2f", d.labelName(), d.score());
      int bandHeight = metrics.getHeight();
      // above the box when there is room, else just inside its top edge
      int bandTop = y0 >= bandHeight ? y0 - bandHeight : y0;
      g.fillRect(x0, bandTop, metrics.stringWidth(text) + 4, bandHeight);
      g.setColor(Color.WHITE);
      g.drawString(text, x0 + 2, bandTop + metrics.getAscent());
    }
    g.dispose();
    return picture;
  }

  /** The four edges as bands of {@link #LINE} pixels inside the box, so no edge falls off the image. */
  private static void outline(Graphics2D g, int x0, int y0, int x1, int y1) {
    int width = Math.max(x1 - x0 + 1, 1);
    int height = Math.max(y1 - y0 + 1, 1);
    g.fillRect(x0, y0, width, Math.min(LINE, height));
    g.fillRect(x0, Math.max(y1 - LINE + 1, y0), width, Math.min(LINE, height));
    g.fillRect(x0, y0, Math.min(LINE, width), height);
    g.fillRect(Math.max(x1 - LINE + 1, x0), y0, Math.min(LINE, width), height);
  }

  private static int clamp(int value, int size) {
    return Math.max(0, Math.min(value, size - 1));
  }

  /** Draws and writes one picture as PNG through a temporary file. */
  public static void write(Path file, Image image, List<Detection> detections) {
    BufferedImage picture = draw(image, detections);
    try {
      AtomicFiles.replace(file, tmp -> {
        if (!ImageIO.write(picture, "png", tmp.toFile())) {
          throw new IOException("no PNG writer");
        }
      });
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Checks (creating it when missing) the directory pictures go to, before any work. */
  public static Path directory(Path dir, String flag) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KaffeeException(flag + "=" + dir + ": cannot create the directory: " + e.getMessage(), e);
    }
    return dir;
  }
}
