package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.layer;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class ShuffleChannelLayerTest {
  private static ShuffleChannelLayer shuffle(int group) {
    return layer(ShuffleChannelLayer::new, "type: 'ShuffleChannel' shuffle_channel_param { group: " + group + " }");
  }

  /** Six channels of two values each, channel c holding 10c and 10c + 1. */
  private static Blob sixChannels() {
    double[] v = new double[12];
    for (int c = 0; c < 6; c++) {
      v[2 * c] = 10 * c;
      v[2 * c + 1] = 10 * c + 1;
    }
    return TestBlobs.of(v, 1, 6, 1, 2);
  }

  @Test
  void twoGroupsOfThreeInterleave() {
    Blob top = forward(shuffle(2), 1, sixChannels()).get(0);
    // channels 0 1 2 | 3 4 5 become 0 3 1 4 2 5
    assertValues(new double[] {0, 1, 30, 31, 10, 11, 40, 41, 20, 21, 50, 51}, top, 0);
  }

  @Test
  void threeGroupsOfTwoInterleave() {
    Blob top = forward(shuffle(3), 1, sixChannels()).get(0);
    // channels 0 1 | 2 3 | 4 5 become 0 2 4 1 3 5
    assertValues(new double[] {0, 1, 20, 21, 40, 41, 10, 11, 30, 31, 50, 51}, top, 0);
  }

  @Test
  void oneGroupIsTheIdentity() {
    Blob top = forward(shuffle(1), 1, sixChannels()).get(0);
    assertValues(TestBlobs.data(sixChannels()), top, 0);
  }

  @Test
  void gradient() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(shuffle(3),
        list(TestBlobs.gaussian(1701, 1, 2, 6, 2, 3)), tops(1), -1);
  }

  @Test
  void channelsThatDoNotSplitAreRejected() {
    assertThrows(KaffeeException.class, () -> forward(shuffle(4), 1, sixChannels()));
  }
}
