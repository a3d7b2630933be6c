package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

class DataTransformerTest {
  @TempDir
  Path tmp;

  /** 2 channels x 3 x 4, value = 100*c + 10*h + w. */
  private static Datum datum() {
    byte[] px = new byte[24];
    for (int c = 0; c < 2; c++) {
      for (int h = 0; h < 3; h++) {
        for (int w = 0; w < 4; w++) {
          px[(c * 3 + h) * 4 + w] = (byte) (100 * c + 10 * h + w);
        }
      }
    }
    return Datum.newBuilder().setChannels(2).setHeight(3).setWidth(4).setData(ByteString.copyFrom(px)).build();
  }

  private static float[] run(TransformationParameter p, Phase phase, Random rng) {
    DataTransformer t = new DataTransformer(p, phase, rng, "test");
    DataTransformer.Decoded d = t.decode(datum(), "d");
    int[] shape = t.inferShape(d.channels, d.height, d.width, "d");
    float[] out = new float[shape[1] * shape[2] * shape[3]];
    t.transform(d, out, 0, "d");
    return out;
  }

  @Test
  void scaleAndMeanValues() {
    float[] out = run(TransformationParameter.newBuilder().setScale(0.5f).addMeanValue(10).addMeanValue(20).build(),
        Phase.TEST, new Random(1));
    assertEquals((0 - 10) * 0.5f, out[0]);
    assertEquals((23 - 10) * 0.5f, out[11]);
    assertEquals((100 - 20) * 0.5f, out[12]);
    assertEquals((123 - 20) * 0.5f, out[23]);
    // one mean_value serves all channels
    out = run(TransformationParameter.newBuilder().addMeanValue(3).build(), Phase.TEST, new Random(1));
    assertEquals(-3, out[0]);
    assertEquals(97, out[12]);
    // as many as channels or one
    assertThrows(KaffeeException.class, () -> run(TransformationParameter.newBuilder().addMeanValue(1)
        .addMeanValue(2).addMeanValue(3).build(), Phase.TEST, new Random(1)));
  }

  @Test
  void centerCropInTestUsesUncroppedMeanFilePositions() {
    BlobProto.Builder mean = BlobProto.newBuilder().setNum(1).setChannels(2).setHeight(3).setWidth(4);
    for (int i = 0; i < 24; i++) {
      mean.addData(i * 0.25f);
    }
    Path file = tmp.resolve("mean.binaryproto");
    ProtoFiles.writeBinary(file, mean.build());
    TransformationParameter p = TransformationParameter.newBuilder().setMeanFile(file.toString()).setCropSize(2)
        .setScale(2).build();
    float[] out = run(p, Phase.TEST, new Random(1));
    // center crop: h_off = (3-2)/2 = 0, w_off = (4-2)/2 = 1
    float[] expected = new float[8];
    int k = 0;
    for (int c = 0; c < 2; c++) {
      for (int h = 0; h < 2; h++) {
        for (int w = 1; w < 3; w++) {
          int idx = (c * 3 + h) * 4 + w;
          expected[k++] = (100 * c + 10 * h + w - idx * 0.25f) * 2;
        }
      }
    }
    assertArrayEquals(expected, out);
  }

  @Test
  void randomCropAndMirrorInTrainFollowCaffesDrawOrder() {
    TransformationParameter p = TransformationParameter.newBuilder().setCropSize(2).setMirror(true).build();
    for (long seed = 0; seed < 20; seed++) {
      float[] out = run(p, Phase.TRAIN, new Random(seed));
      Random r = new Random(seed);
      boolean mirror = r.nextInt(2) == 1;  // drawn first, as Caffe's Rand(2)
      int hOff = r.nextInt(2);
      int wOff = r.nextInt(3);
      int k = 0;
      for (int c = 0; c < 2; c++) {
        for (int h = 0; h < 2; h++) {
          for (int w = 0; w < 2; w++) {
            int sw = mirror ? 1 - w : w;
            assertEquals(100 * c + 10 * (h + hOff) + sw + wOff, out[k++], "seed " + seed);
          }
        }
      }
    }
  }

  @Test
  void mirrorWithoutCropFlipsRows() {
    TransformationParameter p = TransformationParameter.newBuilder().setMirror(true).build();
    boolean sawMirror = false;
    boolean sawPlain = false;
    DataTransformer t = new DataTransformer(p, Phase.TRAIN, new Random(42), "test");
    DataTransformer.Decoded d = t.decode(datum(), "d");
    for (int rep = 0; rep < 20; rep++) {
      float[] out = new float[24];
      t.transform(d, out, 0, "d");
      if (out[0] == 3) {
        sawMirror = true;
        assertEquals(0, out[3]);
        assertEquals(123, out[20]);
      } else {
        sawPlain = true;
        assertEquals(0, out[0]);
      }
    }
    assertTrue(sawMirror && sawPlain);
  }

  @Test
  void badParametersAndShapes() {
    assertThrows(KaffeeException.class, () -> new DataTransformer(TransformationParameter.newBuilder()
        .setMeanFile("x").addMeanValue(1).build(), Phase.TEST, new Random(0), "t"));
    assertThrows(KaffeeException.class, () -> new DataTransformer(TransformationParameter.newBuilder()
        .setForceColor(true).setForceGray(true).build(), Phase.TEST, new Random(0), "t"));
    assertThrows(KaffeeException.class, () -> run(TransformationParameter.newBuilder().setCropSize(5).build(),
        Phase.TEST, new Random(0)));
    KaffeeException e = assertThrows(KaffeeException.class, () -> new DataTransformer(TransformationParameter
        .newBuilder().setMeanFile(tmp.resolve("missing.binaryproto").toString()).build(), Phase.TEST,
        new Random(0), "t"));
    assertTrue(e.getMessage().contains("missing.binaryproto"));
  }

  @Test
  void encodedDatumsDecodeToBgrOrGray() {
    Image img = new Image(3, 2, 2, new byte[] {1, 2, 3, 4, 50, 60, 70, 80, (byte) 200, (byte) 210, (byte) 220,
        (byte) 230});
    Datum enc = Datum.newBuilder().setData(ByteString.copyFrom(img.encode("png"))).setEncoded(true).build();
    DataTransformer t = new DataTransformer(TransformationParameter.getDefaultInstance(), Phase.TEST,
        new Random(0), "t");
    DataTransformer.Decoded d = t.decode(enc, "enc");
    assertEquals(3, d.channels);
    assertArrayEquals(img.pixels, d.bytes);
    DataTransformer gray = new DataTransformer(TransformationParameter.newBuilder().setForceGray(true).build(),
        Phase.TEST, new Random(0), "t");
    DataTransformer.Decoded g = gray.decode(enc, "enc");
    assertEquals(1, g.channels);
    // libpng's truncating 0.299 R + 0.587 G + 0.114 B
    assertEquals((200 * 9797 + 50 * 19234 + 1 * 3737) >> 15, g.bytes[0] & 0xff);
    KaffeeException e = assertThrows(KaffeeException.class, () -> t.decode(Datum.newBuilder()
        .setData(ByteString.copyFromUtf8("not an image")).setEncoded(true).build(), "key 'x'"));
    assertTrue(e.getMessage().contains("key 'x'"));
  }
}
