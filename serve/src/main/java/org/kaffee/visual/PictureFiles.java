package org.kaffee.visual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.io.AtomicFiles;

/** Writes pictures as PNG files under an output directory, which it creates; each file atomically. */
public final class PictureFiles {
  private final Path dir;

  public PictureFiles(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new KaffeeException("--output: cannot create directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@code name}.png (unsafe characters of layer names replaced) and returns its path. */
  public Path write(String name, Image image) {
    return writeBytes(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".png", image.encode("png"));
  }

  public Path writeBytes(String fileName, byte[] bytes) {
    Path file = dir.resolve(fileName);
    try {
      AtomicFiles.replace(file, tmp -> Files.write(tmp, bytes));
    } catch (IOException e) {
      throw new KaffeeException("--output: cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** A single planar image normalised to its own value range. */
  public static Image picture(float[] planes, int channels, int height, int width) {
    return TileGrid.single(channels, height, width).render(java.util.List.of(planes), true);
  }
}
