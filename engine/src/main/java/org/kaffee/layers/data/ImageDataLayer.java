package org.kaffee.layers.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.ResumableState;
import org.kaffee.core.Rng;
import org.kaffee.core.SeededRandom;
import org.kaffee.data.DataTransformer;
import org.kaffee.data.Image;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.ImageDataParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.KaffeeState.LayerState;
import org.kaffee.proto.KaffeeState.Permutation;
import org.kaffee.proto.KaffeeState.RandomState;

/**
 * Caffe's ImageData layer: {@code source} lists {@code path label} lines (the label after the
 * last space); images are read from {@code root_folder + path}, optionally resized to
 * new_height x new_width (bilinear) and in colour or gray ({@code is_color}), then transformed.
 * With {@code shuffle} the list is permuted at start and after every pass.
 *
 * <p>Resume state: the list index, the order and the one generator that shuffles, crops and
 * mirrors. A shuffle replaces the order list instead of permuting it in place, so a captured
 * state can hold the list itself.
 */
public final class ImageDataLayer extends BasePrefetchingDataLayer {
  private final List<String> files = new ArrayList<>();
  private final List<Integer> labels = new ArrayList<>();
  private final List<Integer> lineNumbers = new ArrayList<>();
  private List<Integer> order;
  private SeededRandom rng;
  private DataTransformer transformer;
  private int pos;
  private Path source;

  public ImageDataLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "ImageData";
  }

  @Override
  protected void dataLayerSetUp(List<Blob> bottom, List<Blob> top) {
    ImageDataParameter p = param.getImageDataParam();
    check(p.hasSource(), "image_data_param.source is required");
    check(p.getBatchSize() > 0, "image_data_param.batch_size must be positive");
    check((p.getNewHeight() == 0) == (p.getNewWidth() == 0),
        "new_height and new_width must be given together");
    source = WorkDir.resolve(p.getSource());
    Glog.info("Opening file %s", source);
    String[] lines = ProtoFiles.readString(source).split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      int label;
      try {
        check(sp > 0, "%s:%d: expected 'path label', got '%s'", source, i + 1, line);
        label = Integer.parseInt(line.substring(sp + 1).strip());
      } catch (NumberFormatException e) {
        throw new KaffeeException("layer " + name() + " (ImageData): " + source + ":" + (i + 1)
            + ": the label of '" + line + "' is not an integer");
      }
      files.add(line.substring(0, sp).strip());
      labels.add(label);
      lineNumbers.add(i + 1);
    }
    check(!files.isEmpty(), "source %s lists no images", source);
    rng = Rng.fork();
    order = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      order.add(i);
    }
    if (p.getShuffle()) {
      Glog.info("Shuffling data");
      shuffle();
    }
    Glog.info("A total of %d images.", files.size());
    if (p.getRandSkip() > 0) {
      int skip = rng.nextInt(p.getRandSkip());
      Glog.info("Skipping first %d data points.", skip);
      check(files.size() > skip, "not enough points to skip");
      pos = skip;
    }
    transformer = new DataTransformer(param.getTransformParam(), phase, rng, "layer " + name());
    Image img = read(order.get(pos));
    int[] shape = transformer.inferShape(img.channels, img.height, img.width, what(order.get(pos)));
    shape[0] = p.getBatchSize();
    top.get(0).reshape(shape);
    Glog.info("output data size: %d,%d,%d,%d", shape[0], shape[1], shape[2], shape[3]);
    if (outputLabels) {
      top.get(1).reshape(p.getBatchSize());
    }
  }

  private String what(int index) {
    return "layer " + name() + " (ImageData): " + source + ":" + lineNumbers.get(index);
  }

  private Image read(int index) {
    ImageDataParameter p = param.getImageDataParam();
    Path file = WorkDir.resolve(p.getRootFolder() + files.get(index));
    Image img = Image.read(file, p.getIsColor(), what(index));
    if (p.getNewHeight() > 0) {
      img = img.resize(p.getNewHeight(), p.getNewWidth());
    }
    return img;
  }

  @Override
  protected void loadBatch(Batch batch) {
    int batchSize = param.getImageDataParam().getBatchSize();
    int[] shape = null;
    int item = 0;
    shard().skipBefore(batchSize, this::advance);
    for (int i = 0; i < batchSize; i++) {
      int index = order.get(pos);
      String what = what(index);
      Image img = read(index);
      int[] s = transformer.inferShape(img.channels, img.height, img.width, what);
      if (i == 0) {
        shape = s;
        shape[0] = batchSize;
        item = shape[1] * shape[2] * shape[3];
        if (batch.data == null || batch.data.length != batchSize * item) {
          batch.data = new float[batchSize * item];
        }
        if (batch.label == null) {
          batch.label = new float[batchSize];
        }
        batch.shape = shape;
      } else if (s[1] != shape[1] || s[2] != shape[2] || s[3] != shape[3]) {
        throw new KaffeeException(what + ": image is " + s[1] + "x" + s[2] + "x" + s[3] + " but the batch's first is "
            + shape[1] + "x" + shape[2] + "x" + shape[3] + " (set new_height/new_width or crop_size)");
      }
      transformer.transform(img.channels, img.height, img.width, img.pixels, null, batch.data, i * item, what);
      batch.label[i] = labels.get(index);
      advance();
    }
    shard().skipAfter(batchSize, this::advance);
  }

  private void advance() {
    if (++pos >= order.size()) {
      Glog.info("Restarting data prefetching from start.");
      pos = 0;
      if (param.getImageDataParam().getShuffle()) {
        shuffle();
      }
    }
  }

  private void shuffle() {
    List<Integer> next = new ArrayList<>(order);
    Collections.shuffle(next, rng);
    order = next;
  }

  @Override
  protected Supplier<LayerState> readerState() {
    List<Integer> captured = order;
    long position = pos;
    RandomState random = rng.state();
    return () -> LayerState.newBuilder().addPosition(position).addRandom(random)
        .addPermutation(Permutation.newBuilder().addAllIndex(captured)).build();
  }

  @Override
  protected void restoreReader(LayerState state) {
    check(state.getPositionCount() == 1 && state.getRandomCount() == 1 && state.getPermutationCount() == 1,
        "the resume state is not an ImageData layer's");
    List<Integer> saved = state.getPermutation(0).getIndexList();
    check(ResumableState.isPermutation(saved, files.size()) && ResumableState.inRange(state.getPosition(0),
        files.size()), "%s lists %d images; the snapshot's order of %d and index %d do not fit them (changed"
        + " since the snapshot? --resume_data=restart starts over)", source, files.size(), saved.size(),
        state.getPosition(0));
    order = new ArrayList<>(saved);
    pos = (int) state.getPosition(0);
    rng.restore(state.getRandom(0));
  }
}
