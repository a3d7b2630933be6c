package org.kaffee.data;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.kaffee.core.KaffeeException;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A colour JPEG read as gray the way OpenCV's IMREAD_GRAYSCALE reads it: libjpeg's grayscale
 * output, which for YCbCr files is the luma plane as decoded (no round trip through RGB), and
 * for RGB files libjpeg's 16-bit fixed-point 0.299/0.587/0.114 sum. The plane comes from
 * javax.imageio's raster read, which skips the colour conversion; the JDK decodes with the
 * system's libjpeg-turbo, as OpenCV does.
 */
final class JpegGray {
  private JpegGray() {
  }

  static boolean isJpeg(byte[] bytes) {
    return bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
  }

  static Image decode(byte[] bytes, String what) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new KaffeeException(what + ": cannot decode image (no JPEG reader)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        boolean rgb = "RGB".equals(colorSpace(reader.getImageMetadata(0)));
        Raster raster = reader.readRaster(0, null);
        return rgb ? luma(raster) : plane(raster);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof KaffeeException k) {
        throw k;
      }
      throw new KaffeeException(what + ": cannot decode image: " + e.getMessage(), e);
    }
  }

  private static String colorSpace(IIOMetadata metadata) {
    Element root = (Element) metadata.getAsTree("javax_imageio_1.0");
    NodeList nodes = root.getElementsByTagName("ColorSpaceType");
    return nodes.getLength() == 0 ? "" : ((Element) nodes.item(0)).getAttribute("name");
  }

  private static Image plane(Raster raster) {
    int h = raster.getHeight();
    int w = raster.getWidth();
    byte[] out = new byte[h * w];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
      for (int x = 0; x < w; x++) {
        out[y * w + x] = (byte) row[x];
      }
    }
    return new Image(1, h, w, out);
  }

  /** libjpeg's rgb_gray_convert: FIX(0.299), FIX(0.587), FIX(0.114) with 16 bits, rounded. */
  private static Image luma(Raster raster) {
    int h = raster.getHeight();
    int w = raster.getWidth();
    byte[] out = new byte[h * w];
    int[] px = new int[raster.getNumBands()];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, px);
        out[y * w + x] = (byte) ((px[0] * 19595 + px[1] * 38470 + px[2] * 7471 + 32768) >> 16);
      }
    }
    return new Image(1, h, w, out);
  }
}
