package org.kaffee.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.kaffee.core.KaffeeException;

/**
 * An 8-bit image as Caffe keeps it in a Datum: planar CHW bytes, channels in OpenCV's
 * order (B, G, R for colour, 1 plane for gray). Decodes PNG/JPEG/BMP with javax.imageio (whose
 * JPEG decoder is the system's libjpeg-turbo, as OpenCV's) to OpenCV's pixels, gray JPEGs
 * through {@link JpegGray}, and resizes as cv::resize does ({@link Resize}).
 */
public final class Image {
  public final int channels;
  public final int height;
  public final int width;
  /** CHW pixels. */
  public final byte[] pixels;

  public Image(int channels, int height, int width, byte[] pixels) {
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.pixels = pixels;
  }

  /**
   * Decodes image bytes. {@code color}: TRUE gives 3 channels, FALSE 1, null keeps the file's
   * own (OpenCV's IMREAD_ANYCOLOR as used by DecodeDatumToCVMatNative: 1 for gray files).
   */
  public static Image decode(byte[] bytes, Boolean color, String what) {
    Image img = decodeAsStored(bytes, color, what);
    return JpegGray.isJpeg(bytes) ? ExifOrientation.apply(img, ExifOrientation.of(bytes)) : img;
  }

  private static Image decodeAsStored(byte[] bytes, Boolean color, String what) {
    if (Boolean.FALSE.equals(color) && JpegGray.isJpeg(bytes)) {
      return JpegGray.decode(bytes, what);
    }
    BufferedImage img;
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new KaffeeException(what + ": cannot decode image (unknown or corrupt format)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0), what);
        img = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof KaffeeException k) {
        throw k;
      }
      throw new KaffeeException(what + ": cannot decode image: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new KaffeeException(what + ": cannot decode image (unknown or corrupt format)");
    }
    return fromBuffered(img, color);
  }

  /** The most pixels an image may declare: a header asking for more is corrupt or hostile. */
  private static final long MAX_PIXELS = 1L << 26;

  private static void checkSize(int width, int height, String what) {
    if (width <= 0 || height <= 0 || (long) width * height > MAX_PIXELS) {
      throw new KaffeeException(what + ": image declares " + width + "x" + height
          + " pixels (at most " + MAX_PIXELS + " are read)");
    }
  }

  /** Reads and decodes an image file. */
  public static Image read(Path file, Boolean color, String what) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KaffeeException(what + ": cannot read image " + file + ": " + e.getMessage(), e);
    }
    return decode(bytes, color, what + ": " + file);
  }

  static Image fromBuffered(BufferedImage img, Boolean color) {
    int h = img.getHeight();
    int w = img.getWidth();
    Raster r = img.getRaster();
    ColorModel cm = img.getColorModel();
    int bands = r.getNumBands();
    int bits = cm.getComponentSize(0);
    int shift = Math.max(0, bits - 8);
    boolean srcGray;
    byte[] rgb;  // interleaved R,G,B or single gray
    if (cm instanceof IndexColorModel icm) {
      srcGray = false;
      rgb = new byte[h * w * 3];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int idx = r.getSample(x, y, 0);
          int o = (y * w + x) * 3;
          rgb[o] = (byte) icm.getRed(idx);
          rgb[o + 1] = (byte) icm.getGreen(idx);
          rgb[o + 2] = (byte) icm.getBlue(idx);
        }
      }
    } else if (bands <= 2) {
      srcGray = true;
      rgb = new byte[h * w];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          rgb[y * w + x] = (byte) (r.getSample(x, y, 0) >> shift);
        }
      }
    } else {
      srcGray = false;
      rgb = new byte[h * w * 3];
      int[] px = new int[bands];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          r.getPixel(x, y, px);
          int o = (y * w + x) * 3;
          rgb[o] = (byte) (px[0] >> shift);
          rgb[o + 1] = (byte) (px[1] >> shift);
          rgb[o + 2] = (byte) (px[2] >> shift);
        }
      }
    }
    boolean wantColor = color == null ? !srcGray : color;
    int n = h * w;
    if (!wantColor) {
      byte[] out = new byte[n];
      if (srcGray) {
        System.arraycopy(rgb, 0, out, 0, n);
      } else {
        for (int i = 0; i < n; i++) {
          int rr = rgb[3 * i] & 0xff;
          int gg = rgb[3 * i + 1] & 0xff;
          int bb = rgb[3 * i + 2] & 0xff;
          // libpng's png_set_rgb_to_gray(0.299, 0.587), which OpenCV's imread(GRAYSCALE) uses:
          // 15-bit fixed-point coefficients (truncated), result truncated, gray pixels kept.
          out[i] = rr == gg && gg == bb ? (byte) rr : (byte) ((rr * 9797 + gg * 19234 + bb * 3737) >> 15);
        }
      }
      return new Image(1, h, w, out);
    }
    byte[] out = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      if (srcGray) {
        out[i] = rgb[i];
        out[n + i] = rgb[i];
        out[2 * n + i] = rgb[i];
      } else {
        out[i] = rgb[3 * i + 2];
        out[n + i] = rgb[3 * i + 1];
        out[2 * n + i] = rgb[3 * i];
      }
    }
    return new Image(3, h, w, out);
  }

  /** OpenCV's cv::resize with INTER_LINEAR, bit for bit ({@link Resize}). */
  public Image resize(int newHeight, int newWidth) {
    return Resize.bilinear(this, newHeight, newWidth);
  }

  /** Encodes as "png", "jpg"/"jpeg" or "bmp" (the Datum's {@code encoded} bytes). */
  public byte[] encode(String type) {
    String format = type.toLowerCase(java.util.Locale.ROOT);
    if (format.equals("jpeg")) {
      format = "jpg";
    }
    BufferedImage img = new BufferedImage(width, height,
        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    java.awt.image.WritableRaster r = img.getRaster();
    int n = height * width;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int i = y * width + x;
        if (channels == 1) {
          r.setSample(x, y, 0, pixels[i] & 0xff);
        } else {
          r.setSample(x, y, 0, pixels[2 * n + i] & 0xff);
          r.setSample(x, y, 1, pixels[n + i] & 0xff);
          r.setSample(x, y, 2, pixels[i] & 0xff);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new KaffeeException("cannot encode images as '" + type + "' (png, jpg or bmp)");
      }
    } catch (IOException e) {
      throw new KaffeeException("cannot encode image as " + type + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }
}
