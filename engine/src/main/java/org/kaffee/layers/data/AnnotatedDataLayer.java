package org.kaffee.layers.data;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.AnnotatedTransformer;
import org.kaffee.data.GroundTruth;
import org.kaffee.data.Image;
import org.kaffee.data.NormBox;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.AnnotatedDataParameter;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.AnnotatedDatum.AnnotationType;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.ResizeParameter.Resize_mode;

/**
 * SSD's AnnotatedData layer (weiliu89/caffe): reads AnnotatedDatums from {@code data_param.source}
 * and augments each image with its boxes ({@link AnnotatedTransformer}). The second top holds the
 * boxes of the whole batch as a 1 x 1 x N x 8 blob, one row per box:
 * {@code item_id, label, instance_id, xmin, ymin, xmax, ymax, difficult}, corners normalized to
 * the output image; a batch without boxes gives one row of -1. Records without an annotation
 * type (and no {@code anno_type}) give one label per item, as the Data layer. Resume state: the
 * database position and the transformer's generator, as the Data layer's.
 */
public final class AnnotatedDataLayer extends DatabaseDataLayer {
  private static final int ROW = 8;

  private AnnotatedTransformer transformer;
  private int batchSize;
  private boolean boxes;
  private AnnotationType annoType;
  private boolean variableShape;
  private int[] itemShape;

  public AnnotatedDataLayer(LayerParameter param) {
    super(param);
  }

  @Override
  public String type() {
    return "AnnotatedData";
  }

  @Override
  protected int prefetchCount() {
    return (int) param.getDataParam().getPrefetch();
  }

  private String owner() {
    return "layer " + name() + " (AnnotatedData)";
  }

  @Override
  protected void dataLayerSetUp(List<Blob> bottom, List<Blob> top) {
    DataParameter dp = param.getDataParam();
    AnnotatedDataParameter ap = param.getAnnotatedDataParam();
    batchSize = dp.getBatchSize();
    check(batchSize > 0, "data_param.batch_size must be positive");
    variableShape = param.getTransformParam().hasResizeParam()
        && param.getTransformParam().getResizeParam().getResizeMode() == Resize_mode.FIT_SMALL_SIZE;
    check(!variableShape || batchSize == 1, "resize_mode FIT_SMALL_SIZE needs batch_size 1");
    open(dp, owner());
    transformer = new AnnotatedTransformer(param.getTransformParam(), ap.getBatchSamplerList(), phase, rng, owner());
    String what = records.what();
    AnnotatedDatum first = parse(records.value(), what);
    Image img = transformer.decode(first.getDatum(), what);
    transformer.checkChannels(img.channels, owner());
    itemShape = transformer.shape(img.channels, img.height, img.width, what);
    int[] shape = itemShape.clone();
    shape[0] = batchSize;
    top.get(0).reshape(shape);
    Glog.info("output data size: %d,%d,%d,%d", shape[0], shape[1], shape[2], shape[3]);
    if (!outputLabels) {
      return;
    }
    boxes = first.hasType() || ap.hasAnnoType();
    if (boxes) {
      annoType = first.getType();
      if (ap.hasAnnoType()) {
        Glog.warn("type stored in AnnotatedDatum is shadowed.");
        annoType = ap.getAnnoType();
      }
      top.get(1).reshape(1, 1, Math.max(1, GroundTruth.of(first).size()), ROW);
    } else {
      top.get(1).reshape(batchSize);
    }
  }

  private static AnnotatedDatum parse(byte[] value, String what) {
    try {
      return AnnotatedDatum.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException(what + ": not a serialized AnnotatedDatum (" + e.getMessage() + ")", e);
    }
  }

  @Override
  protected void loadBatch(Batch batch) {
    shard().skipBefore(batchSize, records::advance);
    List<float[]> rows = new ArrayList<>();
    float[] labels = new float[batchSize];
    for (int item = 0; item < batchSize; item++) {
      String what = records.what();
      AnnotatedDatum a = parse(records.value(), what);
      if (boxes) {
        KaffeeException.check(a.hasType(), "%s: the record has no annotation type", what);
        KaffeeException.check(param.getAnnotatedDataParam().hasAnnoType() || a.getType() == annoType,
            "%s: annotation type %s differs from the first record's %s", what, a.getType(), annoType);
      }
      AnnotatedTransformer.Output out =
          transformer.transform(transformer.decode(a.getDatum(), what), GroundTruth.of(a), what);
      if (item == 0 && variableShape) {
        itemShape = out.shape();  // FIT_SMALL_SIZE: each batch (of one) takes its image's shape
      }
      if (item == 0 && (batch.data == null || !Arrays.equals(batch.shape, batchShape()))) {
        batch.shape = batchShape();
        batch.data = new float[batchSize * itemShape[1] * itemShape[2] * itemShape[3]];
      }
      KaffeeException.check(Arrays.equals(out.shape(), itemShape), "%s: the image becomes %s, the batch holds %s "
          + "(resize_param gives every image one size)", what, Arrays.toString(out.shape()),
          Arrays.toString(itemShape));
      System.arraycopy(out.data(), 0, batch.data, item * out.data().length, out.data().length);
      for (GroundTruth t : out.boxes()) {
        NormBox b = t.box();
        rows.add(new float[] {item, t.label(), t.instance(), b.xmin(), b.ymin(), b.xmax(), b.ymax(),
            b.difficult() ? 1 : 0});
      }
      labels[item] = a.getDatum().getLabel();
      records.advance();
    }
    shard().skipAfter(batchSize, records::advance);
    if (!boxes) {
      batch.label = labels;
      batch.labelShape = null;
      return;
    }
    // no box in the whole batch: one row of -1, which MultiBoxLoss reads as "no ground truth"
    batch.label = new float[Math.max(1, rows.size()) * ROW];
    Arrays.fill(batch.label, -1);
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, batch.label, r * ROW, ROW);
    }
    batch.labelShape = new int[] {1, 1, Math.max(1, rows.size()), ROW};
  }

  private int[] batchShape() {
    return new int[] {batchSize, itemShape[1], itemShape[2], itemShape[3]};
  }
}
