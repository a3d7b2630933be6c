package org.kaffee.layers.common;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kaffee.layers.common.LayerFixture.assertDiff;
import static org.kaffee.layers.common.LayerFixture.layer;
import static org.kaffee.testing.DoubleLayers.assertValues;
import static org.kaffee.testing.DoubleLayers.forward;
import static org.kaffee.testing.DoubleLayers.list;
import static org.kaffee.testing.DoubleLayers.tops;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.GradientChecker;
import org.kaffee.testing.TestBlobs;

class AxpyLayerTest {
  private static AxpyLayer axpy() {
    return layer(AxpyLayer::new, "type: 'Axpy'");
  }

  @Test
  void scalesEachPlaneAndAdds() {
    Blob a = TestBlobs.of(new double[] {2, -1}, 1, 2, 1, 1);
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 2, 1, 2);
    Blob y = TestBlobs.of(new double[] {10, 20, 30, 40}, 1, 2, 1, 2);
    assertValues(new double[] {12, 24, 27, 36}, forward(axpy(), 1, a, x, y).get(0), 1e-12);
  }

  @Test
  void backwardValues() {
    Blob a = TestBlobs.of(new double[] {2, -1}, 1, 2);
    Blob x = TestBlobs.of(new double[] {1, 2, 3, 4}, 1, 2, 1, 2);
    Blob y = TestBlobs.of(new double[] {10, 20, 30, 40}, 1, 2, 1, 2);
    AxpyLayer layer = axpy();
    List<Blob> top = forward(layer, 1, a, x, y);
    top.get(0).diff().assign(TestBlobs.of(new double[] {1, -1, 0.5, 2}, 1, 2, 1, 2).data());
    layer.backward(top, new boolean[] {true, true, true}, list(a, x, y));
    assertDiff(new double[] {1 - 2, 1.5 + 8}, a, 1e-12);
    assertDiff(new double[] {2, -2, -0.5, -2}, x, 1e-12);
    assertDiff(new double[] {1, -1, 0.5, 2}, y, 1e-12);
  }

  @Test
  void gradient() {
    new GradientChecker(1e-2, 1e-3).checkGradientExhaustive(axpy(),
        list(TestBlobs.gaussian(1, 1, 2, 3, 1, 1), TestBlobs.gaussian(2, 1, 2, 3, 2, 2),
            TestBlobs.gaussian(3, 1, 2, 3, 2, 2)), tops(1), -1);
  }

  @Test
  void aScaleOfTheWrongShapeIsRejected() {
    assertThrows(KaffeeException.class, () -> forward(axpy(), 1, TestBlobs.gaussian(1, 1, 2, 4),
        TestBlobs.gaussian(2, 1, 2, 3, 2, 2), TestBlobs.gaussian(3, 1, 2, 3, 2, 2)));
  }
}
