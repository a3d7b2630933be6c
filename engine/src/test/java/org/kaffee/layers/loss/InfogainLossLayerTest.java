package org.kaffee.layers.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kaffee.layers.loss.LossTests.checkExhaustive;
import static org.kaffee.layers.loss.LossTests.dbl;
import static org.kaffee.layers.loss.LossTests.loss;
import static org.kaffee.layers.loss.LossTests.param;
import static org.kaffee.layers.loss.LossTests.scalar;
import static org.kaffee.testing.DoubleLayers.tops;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class InfogainLossLayerTest {
  @TempDir
  Path dir;

  private static InfogainLossLayer layer(String extra) {
    return dbl(new InfogainLossLayer(param("name: 'ig' type: 'InfogainLoss' " + extra)));
  }

  private static final double[] H = {1, 0.5, 0, 0.25, 2, 0, 0, 1, 3};

  /** Writes H as Caffe's tools do: a legacy (1, 1, K, K) BlobProto. */
  private Path writeH(String name, double[] h, int k) {
    BlobProto.Builder b = BlobProto.newBuilder().setNum(1).setChannels(1).setHeight(k).setWidth(k);
    for (double v : h) {
      b.addData((float) v);
    }
    Path path = dir.resolve(name);
    ProtoFiles.writeBinary(path, b.build());
    return path;
  }

  private static double[] softmax(double... x) {
    double s = 0;
    for (double v : x) {
      s += Math.exp(v);
    }
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = Math.exp(x[i]) / s;
    }
    return p;
  }

  @Test
  void forwardByHandWithMatrixFromFile() {
    Path h = writeH("H.binaryproto", H, 3);
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 0, -1, 0.5}, 2, 3);
    Blob y = TestBlobs.of(new double[] {0, 2}, 2);
    List<Blob> top = tops(1);
    InfogainLossLayer l = layer("infogain_loss_param { source: '" + h + "' }");
    l.setUp(List.of(x, y), top);
    l.forwardWithLoss(List.of(x, y), top);
    double[] p0 = softmax(1, 2, 3);
    double[] p1 = softmax(0, -1, 0.5);
    double loss = -(1 * Math.log(p0[0]) + 0.5 * Math.log(p0[1]) + 0 * Math.log(p0[2]))
        - (0 * Math.log(p1[0]) + 1 * Math.log(p1[1]) + 3 * Math.log(p1[2]));
    assertEquals(loss / 2, scalar(top.get(0)), 1e-6); // H is stored as float
  }

  @Test
  void relativeSourceIsResolvedAgainstTheWorkDir() {
    writeH("rel.binaryproto", H, 3);
    Path before = WorkDir.get();
    try {
      WorkDir.set(dir);
      Blob x = TestBlobs.gaussian(1, 1, 2, 3);
      Blob y = TestBlobs.of(new double[] {0, 2}, 2);
      assertTrue(loss(layer("infogain_loss_param { source: 'rel.binaryproto' }"), x, y) > 0);
    } finally {
      WorkDir.set(before);
    }
  }

  @Test
  void identityMatrixGivesTheSoftmaxLoss() {
    Blob x = TestBlobs.gaussian(61, 1, 4, 3, 2);
    Blob y = LossTests.labels(8, 3, 4, 2);
    Blob eye = TestBlobs.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    double infogain = loss(layer("loss_param { ignore_label: 1 }"), x, y, eye);
    SoftmaxWithLossLayer s = dbl(new SoftmaxWithLossLayer(
        param("name: 's' type: 'SoftmaxWithLoss' loss_param { ignore_label: 1 }")));
    assertEquals(loss(s, x, y), infogain, 1e-12);
  }

  @Test
  void gradientWithMatrixBottomIgnoreLabelAndSpatialAxis() {
    Blob x = TestBlobs.gaussian(62, 1, 2, 4, 3);
    Blob y = LossTests.labels(6, 4, 2, 3);
    Blob h = TestBlobs.uniform(63, 0, 1, 4, 4);
    for (String mode : new String[] {"VALID", "FULL", "BATCH_SIZE", "NONE"}) {
      checkExhaustive(new GradientChecker(1e-2, 1e-3),
          layer("loss_param { ignore_label: 2 normalization: " + mode + " }"),
          List.of(x, y, h), tops(1), 0);
    }
  }

  @Test
  void gradientWithMatrixFromFile() {
    Path hp = writeH("H.binaryproto", H, 3);
    Blob x = TestBlobs.gaussian(64, 1, 5, 3);
    Blob y = LossTests.labels(5, 3, 5);
    checkExhaustive(new GradientChecker(1e-2, 1e-3),
        layer("infogain_loss_param { source: '" + hp + "' }"), List.of(x, y), tops(1), 0);
  }

  @Test
  void secondTopHoldsProbabilities() {
    Blob x = TestBlobs.of(new double[] {1, 2, 3}, 1, 3);
    Blob y = TestBlobs.of(new double[] {0}, 1);
    Blob eye = TestBlobs.of(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
    List<Blob> top = tops(2);
    InfogainLossLayer l = layer("");
    l.setUp(List.of(x, y, eye), top);
    l.forwardWithLoss(List.of(x, y, eye), top);
    org.junit.jupiter.api.Assertions.assertArrayEquals(softmax(1, 2, 3),
        TestBlobs.data(top.get(1)), 1e-12);
  }

  @Test
  void errors() {
    Blob x = TestBlobs.gaussian(1, 1, 2, 3);
    Blob y = TestBlobs.of(new double[] {0, 2}, 2);
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> layer("").setUp(List.of(x, y), tops(1)));
    assertTrue(e.getMessage().contains("Infogain matrix source must be specified"),
        e.getMessage());
    Blob h4 = TestBlobs.uniform(1, 0, 1, 4, 4);
    e = assertThrows(KaffeeException.class, () -> layer("").setUp(List.of(x, y, h4), tops(1)));
    assertTrue(e.getMessage().contains("H must be 3x3"), e.getMessage());
    Blob h3 = TestBlobs.uniform(1, 0, 1, 3, 3);
    e = assertThrows(KaffeeException.class,
        () -> layer("loss_param { normalize: true }").setUp(List.of(x, y, h3), tops(1)));
    assertTrue(e.getMessage().contains("normalize is deprecated"), e.getMessage());
    e = assertThrows(KaffeeException.class, () -> layer("infogain_loss_param { source: '"
        + dir.resolve("missing.binaryproto") + "' }").setUp(List.of(x, y), tops(1)));
    assertTrue(e.getMessage().contains("missing.binaryproto"), e.getMessage());
    InfogainLossLayer l = layer("");
    List<Blob> top = tops(1);
    l.setUp(List.of(x, y, h3), top);
    l.forwardWithLoss(List.of(x, y, h3), top);
    e = assertThrows(KaffeeException.class,
        () -> l.backward(top, new boolean[] {true, false, true}, List.of(x, y, h3)));
    assertTrue(e.getMessage().contains("cannot backpropagate to infogain inputs"),
        e.getMessage());
  }
}
