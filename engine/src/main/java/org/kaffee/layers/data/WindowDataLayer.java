package org.kaffee.layers.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Rng;
import org.kaffee.core.SeededRandom;
import org.kaffee.data.Image;
import org.kaffee.data.MeanImage;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.TransformationParameter;
import org.kaffee.proto.Caffe.WindowDataParameter;
import org.kaffee.proto.KaffeeState.LayerState;
import org.kaffee.proto.KaffeeState.RandomState;

/**
 * Caffe's WindowData layer (R-CNN fine-tuning): each batch takes {@code fg_fraction} of its
 * windows at random from the foreground windows of a {@link WindowFile} and the rest from the
 * background ones (background first, as Caffe fills it), warps each to crop_size x crop_size
 * with context padding ({@link WindowWarp}), mirrors it at random, and subtracts the mean
 * (mean_file, centred, or mean_value) and multiplies by {@code window_data_param.scale}.
 * What the warped window does not cover stays 0, i.e. the mean. Images are read in colour;
 * with {@code cache_images} their file bytes are kept in memory. Its resume state is its
 * generator alone: every window is drawn at random.
 */
public final class WindowDataLayer extends BasePrefetchingDataLayer {
  private WindowFile windows;
  private byte[][] cache;
  private MeanImage mean;
  private float[] meanValues;
  private SeededRandom rng;
  private int cropSize;
  private int channels;

  public WindowDataLayer(LayerParameter param) {
    super(param, BlobCounts.of(0, 2));
  }

  @Override
  public String type() {
    return "WindowData";
  }

  @Override
  protected void dataLayerSetUp(List<Blob> bottom, List<Blob> top) {
    WindowDataParameter p = param.getWindowDataParam();
    TransformationParameter t = param.getTransformParam();
    check(p.hasSource(), "window_data_param.source is required");
    check(p.getBatchSize() > 0, "window_data_param.batch_size must be positive");
    cropSize = t.getCropSize();
    check(cropSize > 0, "transform_param.crop_size must be positive: windows are warped to it");
    check(cropSize > 2 * p.getContextPad(), "context_pad %d leaves nothing of a %d crop", p.getContextPad(), cropSize);
    check(p.getCropMode().equals("warp") || p.getCropMode().equals("square"),
        "crop_mode must be \"warp\" or \"square\", got \"%s\"", p.getCropMode());
    if (t.hasScale()) {
      Glog.warn("layer %s (WindowData): transform_param.scale is ignored, as in Caffe; this layer scales by"
          + " window_data_param.scale (%s)", name(), p.getScale());
    }
    Glog.info("Window data layer:\n  foreground (object) overlap threshold: %s\n  background (non-object)"
        + " overlap threshold: %s\n  foreground sampling fraction: %s\n  cache_images: %s\n  root_folder: %s",
        p.getFgThreshold(), p.getBgThreshold(), p.getFgFraction(), p.getCacheImages(), p.getRootFolder());
    windows = new WindowFile(WorkDir.resolve(p.getSource()), p.getRootFolder(), p.getFgThreshold(), p.getBgThreshold());
    Glog.info("Number of images: %d", windows.images.size());
    windows.classCounts.forEach((label, count) -> Glog.info("class %d has %d samples", label, count));
    int foreground = foregroundPer(p.getBatchSize());
    check(foreground == 0 || !windows.foreground.isEmpty(), "%s has no foreground window (overlap >= %s)"
        + " but fg_fraction %s asks for %d per batch", p.getSource(), p.getFgThreshold(), p.getFgFraction(), foreground);
    check(foreground == p.getBatchSize() || !windows.background.isEmpty(), "%s has no background window"
        + " (overlap < %s) but %d per batch are background", p.getSource(), p.getBgThreshold(), p.getBatchSize() - foreground);
    channels = windows.images.get(windows.images.size() - 1).channels();
    check(channels == 3, "WindowData reads images in colour (3 channels); %s says %d", p.getSource(), channels);
    Glog.info("Amount of context padding: %d", p.getContextPad());
    Glog.info("Crop mode: %s", p.getCropMode());
    if (p.getCacheImages()) {
      cache = new byte[windows.images.size()][];
      for (int i = 0; i < cache.length; i++) {
        cache[i] = readBytes(windows.images.get(i).path());
      }
    } else {
      // a missing image is named now, not when a batch first draws one of its windows
      for (WindowFile.Entry entry : windows.images) {
        Path file = WorkDir.resolve(entry.path());
        check(Files.isReadable(file), "%s lists image %s, which cannot be read", p.getSource(), file);
      }
    }
    readMean(t);
    rng = Rng.fork();
    top.get(0).reshape(p.getBatchSize(), channels, cropSize, cropSize);
    top.get(1).reshape(p.getBatchSize());
    Glog.info("output data size: %d,%d,%d,%d", p.getBatchSize(), channels, cropSize, cropSize);
  }

  private int foregroundPer(int batchSize) {
    return (int) ((float) batchSize * param.getWindowDataParam().getFgFraction());
  }

  private void readMean(TransformationParameter t) {
    check(!(t.hasMeanFile() && t.getMeanValueCount() > 0), "cannot specify mean_file and mean_value at the same time");
    if (t.hasMeanFile()) {
      mean = MeanImage.read(WorkDir.resolve(t.getMeanFile()));
      check(mean.channels() == channels && mean.height() >= cropSize && mean.width() >= cropSize,
          "mean file %s is %dx%dx%d, smaller than the %dx%dx%d windows", t.getMeanFile(), mean.channels(),
          mean.height(), mean.width(), channels, cropSize, cropSize);
    }
    if (t.getMeanValueCount() > 0) {
      check(t.getMeanValueCount() == 1 || t.getMeanValueCount() == channels,
          "specify either 1 mean_value or as many as channels: %d", channels);
      meanValues = new float[channels];
      for (int c = 0; c < channels; c++) {
        meanValues[c] = t.getMeanValue(t.getMeanValueCount() == 1 ? 0 : c);
      }
    }
  }

  private byte[] readBytes(String path) {
    Path file = WorkDir.resolve(path);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new KaffeeException("layer " + name() + " (WindowData): cannot read image " + file + ": " + e.getMessage());
    }
  }

  @Override
  protected void loadBatch(Batch batch) {
    WindowDataParameter p = param.getWindowDataParam();
    int batchSize = p.getBatchSize();
    int item = channels * cropSize * cropSize;
    if (batch.data == null) {
      batch.data = new float[batchSize * item];
      batch.label = new float[batchSize];
      batch.shape = new int[] {batchSize, channels, cropSize, cropSize};
    }
    Arrays.fill(batch.data, 0);
    // A data-parallel replica draws the whole global batch (background windows first, as one
    // process at batch_size x workers would) and loads only its own slice of it.
    int global = batchSize * shard().count();
    int foreground = foregroundPer(global);
    int first = shard().skippedBefore(batchSize);
    for (int g = 0; g < global; g++) {
      List<WindowFile.Window> pool = g < global - foreground ? windows.background : windows.foreground;
      WindowFile.Window w = pool.get(draw(pool.size()));
      boolean mirror = param.getTransformParam().getMirror() && draw(2) == 1;
      int i = g - first;
      if (i < 0 || i >= batchSize) {
        continue;
      }
      Image image = image(w.image());
      WindowWarp warp = WindowWarp.of(w.x1(), w.y1(), w.x2(), w.y2(), image.width, image.height, cropSize,
          p.getContextPad(), p.getCropMode().equals("square"), mirror);
      Image patch = crop(image, warp).resize(warp.height(), warp.width());
      write(patch, warp, mirror, p.getScale(), batch.data, i * item);
      batch.label[i] = w.label();
    }
  }

  @Override
  protected Supplier<LayerState> readerState() {
    RandomState random = rng.state();
    return () -> LayerState.newBuilder().addRandom(random).build();
  }

  @Override
  protected void restoreReader(LayerState state) {
    check(state.getRandomCount() == 1, "the resume state is not a WindowData layer's");
    rng.restore(state.getRandom(0));
  }

  /** Caffe's unsigned draw modulo n. */
  private int draw(int n) {
    return (int) (Integer.toUnsignedLong(rng.nextInt()) % n);
  }

  private Image image(int index) {
    WindowFile.Entry entry = windows.images.get(index);
    String what = "layer " + name() + " (WindowData)";
    return cache != null ? Image.decode(cache[index], true, what + ": " + entry.path())
        : Image.read(WorkDir.resolve(entry.path()), true, what);
  }

  private static Image crop(Image image, WindowWarp warp) {
    int h = warp.y2() - warp.y1() + 1;
    int w = warp.x2() - warp.x1() + 1;
    byte[] pixels = new byte[image.channels * h * w];
    for (int c = 0; c < image.channels; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(image.pixels, (c * image.height + warp.y1() + y) * image.width + warp.x1(),
            pixels, (c * h + y) * w, w);
      }
    }
    return new Image(image.channels, h, w, pixels);
  }

  /** The warped patch, mirrored if drawn, at its pads: (pixel - mean) * scale. */
  private void write(Image patch, WindowWarp warp, boolean mirror, float scale, float[] out, int offset) {
    int meanOffset = mean == null ? 0 : (mean.width() - cropSize) / 2;
    for (int c = 0; c < channels; c++) {
      for (int y = 0; y < patch.height; y++) {
        int top = y + warp.padTop();
        for (int x = 0; x < patch.width; x++) {
          int left = x + warp.padLeft();
          int source = mirror ? patch.width - 1 - x : x;
          float pixel = patch.pixels[(c * patch.height + y) * patch.width + source] & 0xff;
          if (mean != null) {
            pixel -= mean.values()[(c * mean.height() + top + meanOffset) * mean.width() + left + meanOffset];
          } else if (meanValues != null) {
            pixel -= meanValues[c];
          }
          out[offset + (c * cropSize + top) * cropSize + left] = pixel * scale;
        }
      }
    }
  }
}
