package org.kaffee.export;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kaffee.onnx.proto.Onnx.AttributeProto;
import org.kaffee.onnx.proto.Onnx.TensorProto;
import org.kaffee.proto.Caffe.DetectionOutputParameter;
import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's DetectionOutput as standard opset-13 nodes. Every (image, class) pair but the background
 * becomes one batch row of NonMaxSuppression, with its own decoded boxes (so shared and per-class
 * locations take one path): decode the offsets against the priors, keep each row's top_k scores
 * (TopK, then GatherND), suppress, then scatter the survivors' scores into an image x (class,
 * rank) grid whose TopK keeps each image's keep_top_k best. Sorting the kept grid positions
 * restores Caffe's row order (image, label ascending, score descending), and the rows are
 * gathered into {@code 1 x 1 x N x 7}; an image set without any detection gives Caffe's row of
 * -1s per image. Adaptive NMS (eta < 1) shrinks the threshold between boxes, which ONNX's
 * NonMaxSuppression cannot.
 */
final class DetectionOutputExport {
  private final LayerNode n;
  private final DetectionOutputParameter p;
  private final int images;
  private final int priors;
  private final int[] classes;

  private DetectionOutputExport(LayerNode n) {
    this.n = n;
    this.p = n.param.getDetectionOutputParam();
    this.images = n.bottomShapes.get(0)[0];
    this.priors = count(n.bottomShapes.get(2)) / 8;
    this.classes = java.util.stream.IntStream.range(0, p.getNumClasses())
        .filter(c -> c != p.getBackgroundLabelId()).toArray();
  }

  static void export(LayerNode n) {
    if (n.param.getDetectionOutputParam().getNmsParam().getEta() != 1) {
      throw n.unsupported("adaptive NMS (nms_param.eta < 1)");
    }
    new DetectionOutputExport(n).write();
  }

  private void write() {
    int rows = images * classes.length;
    String boxes = reshape(boxesPerClass(), rows, priors, 4);
    String scores = reshape(apply("scores", "Transpose", List.of(OnnxGraph.ints("perm", 0, 2, 1)),
        keepClasses(reshape(n.in(1), images, priors, p.getNumClasses()), 2)), rows, priors);
    int k = priors;
    if (p.getNmsParam().hasTopK() && p.getNmsParam().getTopK() < priors) {
      k = p.getNmsParam().getTopK();
      String[] best = topK("top_k", scores, k, true);
      scores = best[0];
      String at = apply("top_k_at", "Unsqueeze", best[1], n.graph.int64s(n.name() + "/last", -1));
      boxes = apply("top_k_boxes", "GatherND", List.of(OnnxGraph.integer("batch_dims", 1)), boxes, at);
    }
    String grid = survivors(boxes, scores, k);
    writeRows(grid, reshape(boxes, rows * k, 4), k);
  }

  /** Decoded boxes per image and kept class: N x C' x P x 4. */
  private String boxesPerClass() {
    String[] prior = priorsAndVariances();
    if (p.getShareLocation()) {
      String decoded = decode(reshape(n.in(0), images, 1, priors, 4), prior[0], prior[1]);
      return apply("per_class", "Expand", decoded, n.graph.int64s(n.name() + "/expand", images, classes.length,
          priors, 4));
    }
    String kept = keepClasses(reshape(n.in(0), images, priors, p.getNumClasses(), 4), 2);
    String byClass = apply("by_class", "Transpose", List.of(OnnxGraph.ints("perm", 0, 2, 1, 3)), kept);
    return decode(byClass, prior[0], prior[1]);
  }

  /** The priors' corners and variances, each P x 4. */
  private String[] priorsAndVariances() {
    String both = reshape(n.in(2), 2 * priors, 4);
    return new String[] {rowsOf(both, 0, priors), rowsOf(both, priors, 2 * priors)};
  }

  /** SSD's DecodeBBox over the last axis of {@code loc} (... x P x 4). */
  private String decode(String loc, String prior, String variance) {
    String t = p.getVarianceEncodedInTarget() ? loc : apply("scaled", "Mul", loc, variance);
    if (p.getCodeType() == CodeType.CORNER) {
      return apply("decoded", "Add", prior, t);
    }
    String min = lastAxis(prior, 0, 2);
    String max = lastAxis(prior, 2, 4);
    String size = apply("prior_size", "Sub", max, min);
    if (p.getCodeType() == CodeType.CORNER_SIZE) {
      String sizes = apply("prior_sizes", "Concat", List.of(OnnxGraph.integer("axis", -1)), size, size);
      return apply("decoded", "Add", prior, apply("moved", "Mul", t, sizes));
    }
    String centre = apply("prior_centre", "Mul", apply("corner_sum", "Add", min, max), half());
    String newCentre = apply("centre", "Add", apply("shift", "Mul", lastAxis(t, 0, 2), size), centre);
    String halfSize = apply("half_size", "Mul", apply("size", "Mul", apply("grow", "Exp", lastAxis(t, 2, 4)), size),
        half());
    return apply("decoded", "Concat", List.of(OnnxGraph.integer("axis", -1)),
        apply("low", "Sub", newCentre, halfSize), apply("high", "Add", newCentre, halfSize));
  }

  /**
   * NonMaxSuppression on every (image, class) row, then the survivors' scores in a grid of
   * images x (class, rank), -infinity where none survived.
   */
  private String survivors(String boxes, String scores, int k) {
    List<String> nms = new ArrayList<>(List.of(boxes, apply("nms_scores", "Unsqueeze", scores,
        n.graph.int64s(n.name() + "/one", 1)), n.graph.int64s(n.name() + "/max_out", k),
        n.constant("iou", new float[] {p.getNmsParam().getNmsThreshold()})));
    if (p.hasConfidenceThreshold()) {
      nms.add(n.constant("confidence", new float[] {p.getConfidenceThreshold()}));
    }
    String selected = n.temp("selected");
    n.op("NonMaxSuppression", nms, selected);
    // selected rows are (batch row, class 0, rank within the row)
    String rowAndRank = apply("row_rank", "Gather", List.of(OnnxGraph.integer("axis", 1)), selected,
        n.graph.int64s(n.name() + "/row_rank_at", 0, 2));
    String kept = apply("kept_scores", "GatherND", scores, rowAndRank);
    String empty = apply("empty", "Expand", n.constant("minus_inf", new float[] {Float.NEGATIVE_INFINITY}),
        n.graph.int64s(n.name() + "/grid", (long) images * classes.length, k));
    String grid = apply("grid", "ScatterND", empty, rowAndRank, kept);
    return reshape(grid, images, classes.length * k);
  }

  /**
   * Each image's keep_top_k best grid cells (TopK), back in grid order, which is Caffe's (label,
   * then score); the rows image, label, score and box gathered from them.
   */
  private void writeRows(String grid, String boxes, int k) {
    int cells = classes.length * k;
    int keep = p.getKeepTopK() > -1 ? Math.min(p.getKeepTopK(), cells) : cells;
    String[] best = topK("keep_top_k", grid, keep, true);
    String found = apply("found", "Greater", best[0], n.constant("none", new float[] {Float.NEGATIVE_INFINITY}));
    // positions as floats (exact below 2^24) so TopK can sort them; a missing cell sorts last
    String position = apply("position", "Where", found, cast(best[1], TensorProto.DataType.FLOAT_VALUE),
        n.constant("past", new float[] {cells}));
    String ordered = topK("grid_order", position, keep, false)[0];
    float[] offsets = new float[images];
    for (int i = 0; i < images; i++) {
      offsets[i] = (float) i * cells;
    }
    String cell = apply("cell", "Add", ordered, n.constant("image_offset", offsets, images, 1));
    String real = reshape(apply("real", "Less", ordered, n.constant("past", new float[] {cells})), -1);
    String at = cast(apply("at", "Compress", List.of(OnnxGraph.integer("axis", 0)), reshape(cell, -1), real),
        TensorProto.DataType.INT64_VALUE);
    String row = apply("row", "Div", at, n.graph.int64s(n.name() + "/k", k));
    String image = apply("image", "Div", row, n.graph.int64s(n.name() + "/classes", classes.length));
    String classAt = apply("class_at", "Mod", row, n.graph.int64s(n.name() + "/classes", classes.length));
    float[] labelValues = new float[classes.length];
    for (int i = 0; i < classes.length; i++) {
      labelValues[i] = classes[i];
    }
    String label = apply("label", "Gather", n.constant("labels", labelValues, classes.length), classAt);
    String score = apply("score", "Gather", reshape(grid, -1), at);
    String box = apply("box", "Gather", boxes, at);
    String detections = apply("detections", "Concat", List.of(OnnxGraph.integer("axis", 1)),
        column(cast(image, TensorProto.DataType.FLOAT_VALUE)), column(label), column(score), box);
    String out = n.out(0);
    n.op("Reshape", List.of(apply("all_rows", "Concat", List.of(OnnxGraph.integer("axis", 0)), detections,
        noneRows(at)), n.graph.int64s(n.name() + "/out_shape", 1, 1, -1, 7)), out);
    n.graph.variableAxis(out, 2, n.name() + "_detections");
  }

  /** Caffe's answer when nothing is found: a row of -1s per image but its index; no rows otherwise. */
  private String noneRows(String at) {
    float[] rows = new float[images * 7];
    Arrays.fill(rows, -1);
    for (int i = 0; i < images; i++) {
      rows[i * 7] = i;
    }
    String nothing = cast(apply("nothing", "Equal", apply("found_count", "Shape", at), n.graph.int64s(
        n.name() + "/zero", 0)), TensorProto.DataType.INT64_VALUE);
    String count = apply("none_count", "Mul", nothing, n.graph.int64s(n.name() + "/images", images));
    return apply("none_rows", "Slice", n.constant("none_rows", rows, images, 7), n.graph.int64s(n.name() + "/start",
        0), count, n.graph.int64s(n.name() + "/axis0", 0));
  }

  /** Values and indices of the {@code k} largest (or smallest) along the last axis, sorted, ties by index. */
  private String[] topK(String what, String x, int k, boolean largest) {
    String values = n.temp(what + "_values");
    String indices = n.temp(what + "_indices");
    n.op("TopK", List.of(x, n.graph.int64s(n.name() + "/" + what + "_k", k)), values, indices)
        .addAttribute(OnnxGraph.integer("largest", largest ? 1 : 0));
    return new String[] {values, indices};
  }

  /** The classes but the background along {@code axis}. */
  private String keepClasses(String x, int axis) {
    long[] kept = Arrays.stream(classes).asLongStream().toArray();
    return apply("classes", "Gather", List.of(OnnxGraph.integer("axis", axis)), x,
        n.graph.int64s(n.name() + "/kept_classes", kept));
  }

  private String rowsOf(String x, int start, int end) {
    return apply("rows", "Slice", x, n.graph.int64s(n.name() + "/start", start), n.graph.int64s(n.name() + "/end",
        end), n.graph.int64s(n.name() + "/axis0", 0));
  }

  private String lastAxis(String x, int start, int end) {
    return apply("part", "Slice", x, n.graph.int64s(n.name() + "/start", start), n.graph.int64s(n.name() + "/end",
        end), n.graph.int64s(n.name() + "/last", -1));
  }

  private String half() {
    return n.constant("half", new float[] {0.5f});
  }

  private String column(String x) {
    return apply("column", "Unsqueeze", x, n.graph.int64s(n.name() + "/one", 1));
  }

  private String cast(String x, int type) {
    return apply("cast", "Cast", List.of(OnnxGraph.integer("to", type)), x);
  }

  private String reshape(String x, long... shape) {
    return apply("reshaped", "Reshape", x, n.graph.int64s(n.name() + "/shape", shape));
  }

  private String apply(String what, String type, String... inputs) {
    return apply(what, type, List.of(), inputs);
  }

  /** One node with a fresh output, which it returns. */
  private String apply(String what, String type, List<AttributeProto> attributes, String... inputs) {
    String out = n.temp(what);
    n.op(type, Arrays.asList(inputs), out).addAllAttribute(attributes);
    return out;
  }

  private static int count(int[] shape) {
    int c = 1;
    for (int d : shape) {
      c *= d;
    }
    return c;
  }
}
