package org.kaffee.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Random;
import org.kaffee.data.DataTransformer;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.TransformationParameter;

/** Datum values as the Data layer decodes them: raw bytes, float_data, encoded PNG/JPEG. */
class DatumFuzzTest {
  private static final DataTransformer CROPPING = new DataTransformer(
      TransformationParameter.newBuilder().setCropSize(2).setMirror(true).setScale(0.5f).build(),
      Phase.TRAIN, new Random(1), "fuzz");

  @FuzzTest(maxDuration = FuzzRule.BUDGET)
  void datum(byte[] input) throws Exception {
    Datum datum;
    try {
      datum = Datum.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      return;  // the Data layer turns this into a KaffeeException naming the key
    }
    FuzzRule.check(() -> {
      DataTransformer.Decoded d = CROPPING.decode(datum, "fuzz datum");
      int[] shape = CROPPING.inferShape(d.channels, d.height, d.width, "fuzz datum");
      float[] out = new float[shape[1] * shape[2] * shape[3]];
      CROPPING.transform(d, out, 0, "fuzz datum");
    });
  }
}
