package org.kaffee.layers.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kaffee.core.Blob;
import org.kaffee.testing.DoubleLayers;
import org.kaffee.testing.TestBlobs;

/**
 * MultiBoxLoss against an independent numpy re-implementation of the SSD fork's matching,
 * mining and losses (engine/src/test/resources/fork/multibox_loss/make_cases.py): the loss and
 * the gradients of the offsets and scores, case by case (code types, match types, mining
 * types, loss types, normalizations, per-class locations, agnostic labels, difficult boxes,
 * cross-boundary priors, variance in the target with bp_inside).
 */
class MultiBoxLossCasesTest {
  private static final Path CASES = Path.of("engine/src/test/resources/fork/multibox_loss/cases.json");

  /** One case of cases.json. */
  record Case(String name, String layer, double[] loc, int[] loc_shape, double[] conf, int[] conf_shape,
      double[] priors, double[] gt, double loss, double[] loc_diff, double[] conf_diff) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws Exception {
    List<Case> all = new Gson().fromJson(Files.readString(CASES), new TypeToken<List<Case>>() { }.getType());
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesTheReference(Case c) {
    Blob loc = TestBlobs.of(c.loc(), c.loc_shape());
    Blob conf = TestBlobs.of(c.conf(), c.conf_shape());
    List<Blob> bottom = DoubleLayers.list(loc, conf, TestBlobs.of(c.priors(), 1, 2, c.priors().length / 2),
        TestBlobs.of(c.gt(), 1, 1, c.gt().length / 8, 8));
    MultiBoxLossLayer layer = DoubleLayers.fromText(MultiBoxLossLayer::new, "mbox_loss", c.layer());
    List<Blob> top = DoubleLayers.tops(1);
    layer.setUp(bottom, top);
    layer.forwardWithLoss(bottom, top);
    assertEquals(c.loss(), top.get(0).dataView().get(0), 1e-9 * Math.abs(c.loss()), "loss");
    layer.backward(top, new boolean[] {true, true, false, false}, bottom);
    assertClose(c.loc_diff(), TestBlobs.diff(loc), "location gradient");
    assertClose(c.conf_diff(), TestBlobs.diff(conf), "confidence gradient");
  }

  private static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " count");
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-9, what + " " + i);
    }
  }
}
