package org.kaffee.layers.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Rng;
import org.kaffee.data.Database;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.AnnotatedDataParameter;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Annotation;
import org.kaffee.proto.Caffe.AnnotationGroup;
import org.kaffee.proto.Caffe.BatchSampler;
import org.kaffee.proto.Caffe.DataParameter;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.DistortionParameter;
import org.kaffee.proto.Caffe.EmitConstraint;
import org.kaffee.proto.Caffe.ExpansionParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NormalizedBBox;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.ResizeParameter;
import org.kaffee.proto.Caffe.SampleConstraint;
import org.kaffee.proto.Caffe.Sampler;
import org.kaffee.proto.Caffe.TransformationParameter;

/** SSD's AnnotatedData layer: images and their boxes through resize, mirror, sampling and crops. */
class AnnotatedDataLayerTest {
  @TempDir
  Path tmp;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    WorkDir.set(Path.of(""));
  }

  private void writeDb(String name, AnnotatedDatum... records) {
    try (Database db = Database.open("lmdb", tmp.resolve(name), Database.Mode.NEW)) {
      for (int i = 0; i < records.length; i++) {
        db.put(String.format("%08d", i).getBytes(), records[i].toByteArray());
      }
      db.commit();
    }
    WorkDir.set(tmp);
  }

  private static Datum image(int h, int w, PixelFn fn) {
    byte[] px = new byte[3 * h * w];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          px[(c * h + y) * w + x] = (byte) fn.at(c, y, x);
        }
      }
    }
    return Datum.newBuilder().setChannels(3).setHeight(h).setWidth(w).setData(ByteString.copyFrom(px)).build();
  }

  interface PixelFn {
    int at(int c, int y, int x);
  }

  private static AnnotationGroup group(int label, float[]... boxes) {
    AnnotationGroup.Builder g = AnnotationGroup.newBuilder().setGroupLabel(label);
    for (int i = 0; i < boxes.length; i++) {
      float[] b = boxes[i];
      g.addAnnotation(Annotation.newBuilder().setInstanceId(i).setBbox(NormalizedBBox.newBuilder().setXmin(b[0])
          .setYmin(b[1]).setXmax(b[2]).setYmax(b[3]).setDifficult(b.length > 4 && b[4] == 1)));
    }
    return g.build();
  }

  private AnnotatedDataLayer layer(String source, int batch, TransformationParameter.Builder t,
      AnnotatedDataParameter.Builder a, List<Blob> top) {
    LayerParameter lp = LayerParameter.newBuilder().setName("data").setType("AnnotatedData").setPhase(Phase.TRAIN)
        .addTop("data").addTop("label").setTransformParam(t).setAnnotatedDataParam(a)
        .setDataParam(DataParameter.newBuilder().setSource(source).setBatchSize(batch)
            .setBackend(DataParameter.DB.LMDB))
        .build();
    AnnotatedDataLayer layer = new AnnotatedDataLayer(lp);
    toClose.add(layer);
    layer.setUp(List.of(), top);
    return layer;
  }

  private static float[] values(Blob b) {
    float[] out = new float[b.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) b.dataView().get(i);
    }
    return out;
  }

  @Test
  void fitLargeSizeAndPadMovesBoxesIntoThePaddingAndMirrorFlipsThem() {
    // 20 x 40: dark left half, bright right half; a box at pixels x 4..12, y 2..8 and a difficult one
    Datum d = image(20, 40, (c, y, x) -> x < 20 ? 10 : 200);
    AnnotatedDatum a = AnnotatedDatum.newBuilder().setDatum(d).setType(AnnotatedDatum.AnnotationType.BBOX)
        .addAnnotationGroup(group(5, new float[] {0.1f, 0.1f, 0.3f, 0.4f}))
        .addAnnotationGroup(group(2, new float[] {0.5f, 0.5f, 1f, 1f, 1})).build();
    writeDb("db", a);
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    AnnotatedDataLayer layer = layer("db", 8, TransformationParameter.newBuilder().setMirror(true)
        .setResizeParam(ResizeParameter.newBuilder().setHeight(20).setWidth(20)
            .setResizeMode(ResizeParameter.Resize_mode.FIT_LARGE_SIZE_AND_PAD)),
        AnnotatedDataParameter.newBuilder(), top);
    layer.forward(List.of(), top);
    assertArrayEquals(new int[] {8, 3, 20, 20}, top.get(0).shape());
    assertArrayEquals(new int[] {1, 1, 16, 8}, top.get(1).shape());
    float[] data = values(top.get(0));
    float[] gt = values(top.get(1));
    // 40 x 20 fits 20 x 20 as 20 x 10: 5 rows of padding above, 5 below; a box's y becomes 5 + 10 y
    float[] box = {0.1f, (5 + 1) / 20f, 0.3f, (5 + 4) / 20f};
    float[] difficult = {0.5f, (5 + 5) / 20f, 1f, (5 + 10) / 20f};
    int mirrored = 0;
    for (int item = 0; item < 8; item++) {
      int at = item * 3 * 400;
      assertEquals(0f, data[at], "padding row");
      float left = data[at + 10 * 20];
      float right = data[at + 10 * 20 + 19];
      boolean mirror = left > right;
      assertEquals(mirror ? 200f : 10f, left);
      mirrored += mirror ? 1 : 0;
      float[] row0 = Arrays.copyOfRange(gt, (2 * item) * 8, (2 * item + 1) * 8);
      float[] row1 = Arrays.copyOfRange(gt, (2 * item + 1) * 8, (2 * item + 2) * 8);
      assertArrayEquals(row(item, 5, 0, mirror ? flip(box) : box, 0), row0, 1e-6f);
      assertArrayEquals(row(item, 2, 0, mirror ? flip(difficult) : difficult, 1), row1, 1e-6f);
    }
    assertTrue(mirrored > 0 && mirrored < 8, "mirrored " + mirrored + " of 8");
  }

  private static float[] flip(float[] b) {
    return new float[] {1 - b[2], b[1], 1 - b[0], b[3]};
  }

  private static float[] row(int item, int label, int instance, float[] b, int difficult) {
    return new float[] {item, label, instance, b[0], b[1], b[2], b[3], difficult};
  }

  @Test
  void aBatchWithoutBoxesGivesOneRowOfMinusOne() {
    AnnotatedDatum a = AnnotatedDatum.newBuilder().setDatum(image(4, 4, (c, y, x) -> x))
        .setType(AnnotatedDatum.AnnotationType.BBOX).build();
    writeDb("empty", a);
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    layer("empty", 2, TransformationParameter.newBuilder(), AnnotatedDataParameter.newBuilder(), top)
        .forward(List.of(), top);
    assertArrayEquals(new int[] {1, 1, 1, 8}, top.get(1).shape());
    float[] minusOnes = new float[8];
    Arrays.fill(minusOnes, -1);
    assertArrayEquals(minusOnes, values(top.get(1)));
  }

  @Test
  void recordsWithoutAnnotationTypeGiveOneLabelPerItem() {
    writeDb("cls", AnnotatedDatum.newBuilder().setDatum(image(2, 2, (c, y, x) -> 1).toBuilder().setLabel(3)).build(),
        AnnotatedDatum.newBuilder().setDatum(image(2, 2, (c, y, x) -> 1).toBuilder().setLabel(7)).build());
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    layer("cls", 2, TransformationParameter.newBuilder(), AnnotatedDataParameter.newBuilder(), top)
        .forward(List.of(), top);
    assertArrayEquals(new float[] {3, 7}, values(top.get(1)));
  }

  @Test
  void anImageOfAnotherSizeNamesItsRecord() {
    writeDb("mixed", AnnotatedDatum.newBuilder().setDatum(image(4, 4, (c, y, x) -> 1)).build(),
        AnnotatedDatum.newBuilder().setDatum(image(4, 6, (c, y, x) -> 1)).build());
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    AnnotatedDataLayer layer = layer("mixed", 2, TransformationParameter.newBuilder(),
        AnnotatedDataParameter.newBuilder(), top);
    KaffeeException e = assertThrows(KaffeeException.class, () -> layer.forward(List.of(), top));
    assertEquals("layer data (AnnotatedData): source mixed, key '00000001': the image becomes [1, 3, 4, 6], the "
        + "batch holds [1, 3, 4, 4] (resize_param gives every image one size)", e.getMessage());
  }

  /** Objects with random boxes on an image whose blue and green bytes are the pixel's x and y. */
  private static AnnotatedDatum coordinateImage(Random r, int size) {
    AnnotatedDatum.Builder a = AnnotatedDatum.newBuilder().setDatum(image(size, size, (c, y, x) -> c == 0 ? x
        : c == 1 ? y : 0)).setType(AnnotatedDatum.AnnotationType.BBOX);
    for (int label = 1; label <= 2; label++) {
      float[][] boxes = new float[3][];
      for (int i = 0; i < 3; i++) {
        float w = 0.2f + 0.3f * r.nextFloat();
        float h = 0.2f + 0.3f * r.nextFloat();
        float x = r.nextFloat() * (1 - w);
        float y = r.nextFloat() * (1 - h);
        boxes[i] = new float[] {x, y, x + w, y + h};
      }
      a.addAnnotationGroup(group(label, boxes));
    }
    return a.build();
  }

  @Test
  void sampledCropsMeetTheirOverlapAndKeepTheBoxesWhoseCentreTheyHold() {
    int size = 250;
    int out = 50;
    Random r = new Random(3);
    AnnotatedDatum[] records = new AnnotatedDatum[4];
    for (int i = 0; i < records.length; i++) {
      records[i] = coordinateImage(r, size);
    }
    writeDb("coords", records);
    float minJaccard = 0.3f;
    AnnotatedDataParameter.Builder ap = AnnotatedDataParameter.newBuilder().addBatchSampler(BatchSampler.newBuilder()
        .setSampler(Sampler.newBuilder().setMinScale(0.3f).setMaxScale(1f).setMinAspectRatio(0.5f)
            .setMaxAspectRatio(2f))
        .setSampleConstraint(SampleConstraint.newBuilder().setMinJaccardOverlap(minJaccard))
        .setMaxSample(1).setMaxTrials(50));
    // NEAREST keeps each output pixel's source coordinates, so the crop can be read off the data
    TransformationParameter.Builder t = TransformationParameter.newBuilder()
        .setEmitConstraint(EmitConstraint.newBuilder().setEmitType(EmitConstraint.EmitType.CENTER))
        .setResizeParam(ResizeParameter.newBuilder().setHeight(out).setWidth(out)
            .addInterpMode(ResizeParameter.Interp_mode.NEAREST));
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    AnnotatedDataLayer layer = layer("coords", 4, t, ap, top);
    int cropped = 0;
    int dropped = 0;
    float tol = 1.5f / size;
    for (int batch = 0; batch < 5; batch++) {
      layer.forward(List.of(), top);
      float[] data = values(top.get(0));
      float[] gt = values(top.get(1));
      for (int item = 0; item < 4; item++) {
        int plane = out * out;
        int at = item * 3 * plane;
        float x0 = data[at];
        float y0 = data[at + plane];
        float xLast = data[at + plane - 1];
        float yLast = data[at + 2 * plane - 1];
        // nearest: the last output column reads source column x0 + floor(49 w / 50)
        float[] crop = {x0 / size, y0 / size, (x0 + (xLast - x0 + 0.5f) * out / (out - 1)) / size,
            (y0 + (yLast - y0 + 0.5f) * out / (out - 1)) / size};
        AnnotatedDatum record = records[(batch * 4 + item) % records.length];
        boolean isCropped = crop[2] - crop[0] < 1 - 2 * tol || crop[3] - crop[1] < 1 - 2 * tol;
        if (isCropped) {
          cropped++;
          float best = 0;
          for (AnnotationGroup g : record.getAnnotationGroupList()) {
            for (Annotation an : g.getAnnotationList()) {
              best = Math.max(best, jaccard(crop, corners(an.getBbox())));
            }
          }
          assertTrue(best >= minJaccard - 0.02f, "crop " + Arrays.toString(crop) + " overlaps an object by " + best);
        }
        for (AnnotationGroup g : record.getAnnotationGroupList()) {
          for (Annotation an : g.getAnnotationList()) {
            float[] b = corners(an.getBbox());
            float cx = (b[0] + b[2]) / 2;
            float cy = (b[1] + b[3]) / 2;
            float margin = Math.min(Math.min(cx - crop[0], crop[2] - cx), Math.min(cy - crop[1], crop[3] - cy));
            float[] emitted = find(gt, item, g.getGroupLabel(), an.getInstanceId());
            if (margin < -2 * tol) {
              assertNull(emitted, "object with its centre outside the crop was kept");
              dropped++;
            } else if (margin > 2 * tol) {
              assertNotNull(emitted, "object with its centre inside the crop was dropped");
              float w = crop[2] - crop[0];
              float h = crop[3] - crop[1];
              float[] expected = {clip((b[0] - crop[0]) / w), clip((b[1] - crop[1]) / h), clip((b[2] - crop[0]) / w),
                  clip((b[3] - crop[1]) / h)};
              // boxes are projected on the sampled box, the pixels cut at whole pixels inside it
              float[] got = Arrays.copyOfRange(emitted, 3, 7);
              for (int k = 0; k < 4; k++) {
                float side = (k % 2 == 0 ? w : h) * size;
                assertEquals(expected[k], got[k], 2.5f / side, "corner " + k);
              }
            }
          }
        }
      }
    }
    assertTrue(cropped >= 8, "cropped " + cropped + " of 20");
    assertTrue(dropped > 0, "no object was dropped");
  }

  private static float[] corners(NormalizedBBox b) {
    return new float[] {b.getXmin(), b.getYmin(), b.getXmax(), b.getYmax()};
  }

  private static float clip(float v) {
    return Math.max(0, Math.min(1, v));
  }

  private static float jaccard(float[] a, float[] b) {
    float w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    float h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    float inter = w * h;
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
  }

  private static float[] find(float[] gt, int item, int label, int instance) {
    for (int r = 0; r < gt.length / 8; r++) {
      if (gt[r * 8] == item && gt[r * 8 + 1] == label && gt[r * 8 + 2] == instance) {
        return Arrays.copyOfRange(gt, r * 8, r * 8 + 8);
      }
    }
    return null;
  }

  private List<float[]> run(long seed, int batches) {
    Rng.seed(seed);
    TransformationParameter.Builder t = TransformationParameter.newBuilder().setMirror(true)
        .addMeanValue(104).addMeanValue(117).addMeanValue(123)
        .setResizeParam(ResizeParameter.newBuilder().setHeight(32).setWidth(32)
            .addInterpMode(ResizeParameter.Interp_mode.LINEAR).addInterpMode(ResizeParameter.Interp_mode.NEAREST))
        .setEmitConstraint(EmitConstraint.newBuilder())
        .setDistortParam(DistortionParameter.newBuilder().setBrightnessProb(0.5f).setBrightnessDelta(32)
            .setContrastProb(0.5f).setContrastLower(0.5f).setContrastUpper(1.5f).setHueProb(0.5f).setHueDelta(18)
            .setSaturationProb(0.5f).setSaturationLower(0.5f).setSaturationUpper(1.5f).setRandomOrderProb(0.5f))
        .setExpandParam(ExpansionParameter.newBuilder().setProb(0.5f).setMaxExpandRatio(4));
    AnnotatedDataParameter.Builder ap = AnnotatedDataParameter.newBuilder().addBatchSampler(BatchSampler.newBuilder()
        .setSampler(Sampler.newBuilder().setMinScale(0.3f).setMaxScale(1f).setMinAspectRatio(0.5f)
            .setMaxAspectRatio(2f))
        .setSampleConstraint(SampleConstraint.newBuilder().setMinJaccardOverlap(0.3f)).setMaxSample(1)
        .setMaxTrials(50));
    List<Blob> top = List.of(new Blob(1), new Blob(1));
    AnnotatedDataLayer layer = layer("coords", 3, t, ap, top);
    List<float[]> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      layer.forward(List.of(), top);
      out.add(values(top.get(0)));
      out.add(values(top.get(1)));
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameBatchesBitForBit() {
    Random r = new Random(5);
    writeDb("coords", coordinateImage(r, 40), coordinateImage(r, 40), coordinateImage(r, 40));
    List<float[]> first = run(11, 4);
    List<float[]> second = run(11, 4);
    List<float[]> other = run(12, 4);
    boolean differs = false;
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), second.get(i), "output " + i);
      differs |= !Arrays.equals(first.get(i), other.get(i));
    }
    assertTrue(differs, "another seed gave the same batches");
    assertFalse(first.isEmpty());
  }
}
