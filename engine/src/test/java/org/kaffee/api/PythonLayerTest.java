package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.LayerRegistry;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.testing.SilentLog;

/**
 * The engine's side of Python layers, with a host written in Java standing in for the Python
 * package: what the layer object is told and when, its param blobs, and how failures read.
 */
@ExtendWith(SilentLog.class)
class PythonLayerTest {
  private static final String NET = """
      name: "py"
      layer { name: "data" type: "Input" top: "data" input_param { shape { dim: 2 dim: 3 } } }
      layer { name: "double" type: "Python" bottom: "data" top: "out"
        python_param { module: "mod" layer: "Double" param_str: "x=1" } }
      """;
  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void removeHost() {
    LayerRegistry.usePythonHost(null);
  }

  /** top = 2 * bottom, and one param blob of shape (3) added at set-up. */
  private final class Double implements PythonCode {
    private final PythonLayerContext context;
    private List<BlobHandle> bottom;
    private List<BlobHandle> top;

    Double(PythonLayerContext context) {
      this.context = context;
    }

    @Override
    public void bind(List<BlobHandle> bottom, List<BlobHandle> top) {
      calls.add("bind");
      this.bottom = bottom;
      this.top = top;
    }

    @Override
    public void setup() {
      calls.add("setup " + context.module() + "." + context.layerClass() + " " + context.paramStr()
          + " phase " + context.phase());
      context.addBlob(new int[] {3});
    }

    @Override
    public void reshape() {
      calls.add("reshape");
      top.get(0).reshape(bottom.get(0).shape());
    }

    @Override
    public void forward() {
      calls.add("forward");
      for (int i = 0; i < bottom.get(0).count(); i++) {
        top.get(0).data().put(i, 2 * bottom.get(0).data().get(i));
      }
    }

    @Override
    public void backward(boolean[] propagateDown) {
      calls.add("backward");
    }
  }

  private static Network net(String text) throws Exception {
    return Kaffee.open(TextFormat.parse(text, NetParameter.class)).load();
  }

  @Test
  void theHostRunsTheLayerInCaffesOrder() throws Exception {
    PythonLayers.install(Double::new);
    Network net = net(NET);
    net.setInput(new float[] {1, 2, 3, 4, 5, 6});
    net.forward();
    assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, net.blob("out"));
    assertEquals(List.of("bind", "setup mod.Double x=1 phase 1", "reshape", "reshape", "forward"), calls);
    assertArrayEquals(new int[] {3}, net.paramShapes("double").get(0));
  }

  @Test
  void aFailureInThePythonCodeIsOneLineNamingLayerModuleAndStep() throws Exception {
    PythonLayers.install(context -> {
      throw new IllegalStateException("ImportError: No module named 'mod'");
    });
    KaffeeException e = assertThrows(KaffeeException.class, () -> net(NET));
    assertEquals("layer double (Python mod.Double): import failed: ImportError: No module named 'mod'",
        e.getMessage());
  }

  @Test
  void withoutHostOrPluginThePythonLayerIsRefusedInOneLine() {
    KaffeeException e = assertThrows(KaffeeException.class, () -> net(NET));
    assertEquals("layer double (Python): no plugin provides module 'mod' layer 'Double': run it from Python "
        + "(import caffe; tools/kaffee does so when PYTHONPATH finds the module), or add a jar whose "
        + "LayerProvider.pythonLayers() declares \"mod.Double\" to KAFFEE_PLUGINS (README: Custom layers "
        + "as plugins)", e.getMessage());
  }
}
