package org.kaffee.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.kaffee.core.KaffeeException;
import org.kaffee.proto.Caffe.BatchSampler;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.ExpansionParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/**
 * SSD's augmentation of one image with its boxes, in the order of the fork's AnnotatedData layer:
 * distort the colours, expand onto a larger canvas filled with the mean, crop to one of the
 * batch samplers' boxes, resize, then crop_size / mirror / mean / scale as every data layer does
 * ({@link DataTransformer}). Every geometric step moves the boxes with the image: a box is kept
 * when it meets {@code emit_constraint} (if given) and overlaps the crop, and is clipped to it.
 * All draws come from one generator, so a seed repeats the output bit for bit.
 */
public final class AnnotatedTransformer {
  private final TransformationParameter param;
  private final List<BatchSampler> samplers;
  private final DataTransformer pixels;
  private final Random rng;

  /** An image and its boxes between two steps. */
  private record Item(Image image, List<GroundTruth> boxes) {
  }

  public AnnotatedTransformer(TransformationParameter param, List<BatchSampler> samplers, Phase phase, Random rng,
      String owner) {
    this.param = param;
    this.samplers = List.copyOf(samplers);
    this.rng = rng;
    this.pixels = new DataTransformer(param, phase, rng, owner);
    BatchSampling.check(samplers, owner);
    KaffeeException.check(!param.hasNoiseParam(), "%s: transform_param.noise_param is not supported", owner);
    if (param.hasResizeParam()) {
      ImageResizing.check(param.getResizeParam(), owner);
    }
    if (param.hasExpandParam()) {
      KaffeeException.check(param.getExpandParam().getMaxExpandRatio() > 1,
          "%s: expand_param.max_expand_ratio must be greater than 1", owner);
      KaffeeException.check(!param.hasMeanFile(), "%s: expand_param needs mean_value, not mean_file (the canvas "
          + "has a random size)", owner);
    }
  }

  /** Rejects settings the data's channel count rules out (colour distortions of gray images). */
  public void checkChannels(int channels, String owner) {
    if (param.hasDistortParam()) {
      PhotometricDistortion.check(param.getDistortParam(), channels, owner);
    }
  }

  /** A record's pixels as an 8-bit image (SSD's transforms work on bytes). */
  public Image decode(Datum datum, String what) {
    DataTransformer.Decoded d = pixels.decode(datum, what);
    KaffeeException.check(d.bytes != null, "%s: AnnotatedData needs 8-bit images, the Datum holds float_data", what);
    return new Image(d.channels, d.height, d.width, d.bytes);
  }

  /** The {1, channels, height, width} an image of this size becomes (resize, then crop_size). */
  public int[] shape(int channels, int height, int width, String what) {
    if (param.hasResizeParam()) {
      int[] hw = ImageResizing.newSize(param.getResizeParam(), height, width);
      return pixels.inferShape(channels, hw[0], hw[1], what);
    }
    return pixels.inferShape(channels, height, width, what);
  }

  /** One augmented image: its shape {1, channels, height, width}, its values and its boxes in the input's order. */
  public record Output(int[] shape, float[] data, List<GroundTruth> boxes) {
  }

  public Output transform(Image image, List<GroundTruth> boxes, String what) {
    Item item = new Item(image, boxes);
    if (param.hasDistortParam()) {
      item = new Item(PhotometricDistortion.apply(item.image, param.getDistortParam(), rng), item.boxes);
    }
    if (param.hasExpandParam()) {
      item = expand(item);
    }
    if (!samplers.isEmpty()) {
      List<NormBox> objects = item.boxes.stream().map(GroundTruth::box).toList();
      List<NormBox> samples = BatchSampling.generate(samplers, objects, rng);
      if (!samples.isEmpty()) {
        item = crop(item, samples.get(rng.nextInt(samples.size())).clip());
      }
    }
    Image img = item.image;
    int oldHeight = img.height;
    int oldWidth = img.width;
    if (param.hasResizeParam()) {
      img = ImageResizing.apply(img, param.getResizeParam(), rng);
    }
    int[] shape = pixels.inferShape(img.channels, img.height, img.width, what);
    float[] data = new float[shape[1] * shape[2] * shape[3]];
    DataTransformer.Placement at = pixels.transform(img.channels, img.height, img.width, img.pixels, null, data, 0,
        what);
    NormBox crop = new NormBox((float) at.wOff() / img.width, (float) at.hOff() / img.height,
        (float) (at.wOff() + at.width()) / img.width, (float) (at.hOff() + at.height()) / img.height, false);
    return new Output(shape, data, moveBoxes(item.boxes, crop, at.mirror(), oldHeight, oldWidth, what));
  }

  /** expand_param: the image at a random place on a canvas up to max_expand_ratio times larger. */
  private Item expand(Item in) {
    ExpansionParameter e = param.getExpandParam();
    if (Draws.uniform(rng, 0f, 1f) > e.getProb() || Math.abs(e.getMaxExpandRatio() - 1.) < 1e-2) {
      return in;
    }
    float ratio = Draws.uniform(rng, 1f, e.getMaxExpandRatio());
    Image img = in.image;
    int h = (int) (img.height * ratio);
    int w = (int) (img.width * ratio);
    int hOff = (int) Math.floor(Draws.uniform(rng, 0f, h - img.height));
    int wOff = (int) Math.floor(Draws.uniform(rng, 0f, w - img.width));
    byte[] out = new byte[img.channels * h * w];
    for (int c = 0; c < img.channels; c++) {
      int mv = param.getMeanValueCount();
      Arrays.fill(out, c * h * w, (c + 1) * h * w,
          mv == 0 ? 0 : Pixels.saturate(param.getMeanValue(mv == 1 ? 0 : c)));
      for (int y = 0; y < img.height; y++) {
        System.arraycopy(img.pixels, (c * img.height + y) * img.width, out, (c * h + hOff + y) * w + wOff,
            img.width);
      }
    }
    NormBox frame = new NormBox((float) -wOff / img.width, (float) -hOff / img.height,
        (float) (w - wOff) / img.width, (float) (h - hOff) / img.height, false);
    return new Item(new Image(img.channels, h, w, out), moveBoxes(in.boxes, frame, false, 0, 0, null));
  }

  /** The pixels under a (clipped) sample box, the fork's truncation to whole pixels included. */
  private Item crop(Item in, NormBox box) {
    Image img = in.image;
    float x0 = box.xmin() * img.width;
    float y0 = box.ymin() * img.height;
    // at least one pixel: the fork would hand OpenCV an empty region
    int w = Math.max(1, (int) (box.xmax() * img.width - x0));
    int h = Math.max(1, (int) (box.ymax() * img.height - y0));
    int wOff = Math.min((int) x0, img.width - w);
    int hOff = Math.min((int) y0, img.height - h);
    byte[] out = new byte[img.channels * h * w];
    for (int c = 0; c < img.channels; c++) {
      for (int y = 0; y < h; y++) {
        System.arraycopy(img.pixels, (c * img.height + hOff + y) * img.width + wOff, out, (c * h + y) * w, w);
      }
    }
    return new Item(new Image(img.channels, h, w, out), moveBoxes(in.boxes, box, false, 0, 0, null));
  }

  /**
   * The boxes seen through {@code crop} (TransformAnnotation). With {@code oldHeight > 0} the
   * image was also resized from that size, which moves each box first (FIT_LARGE_SIZE_AND_PAD
   * shifts it into the padded frame).
   */
  private List<GroundTruth> moveBoxes(List<GroundTruth> boxes, NormBox crop, boolean mirror, int oldHeight,
      int oldWidth, String what) {
    boolean resized = oldHeight > 0 && param.hasResizeParam();
    List<GroundTruth> out = new ArrayList<>();
    for (GroundTruth t : boxes) {
      NormBox b = resized ? ImageResizing.moveBox(param.getResizeParam(), oldWidth, oldHeight, t.box()) : t.box();
      if (param.hasEmitConstraint() && !crop.emits(b, param.getEmitConstraint())) {
        continue;
      }
      NormBox p = crop.project(b);
      if (p == null) {
        continue;
      }
      if (mirror) {
        p = p.mirror();
      }
      if (resized) {
        p = ImageResizing.extrapolate(param.getResizeParam(), oldHeight, oldWidth, crop, p, what);
      }
      out.add(new GroundTruth(t.label(), t.instance(), p));
    }
    return out;
  }
}
