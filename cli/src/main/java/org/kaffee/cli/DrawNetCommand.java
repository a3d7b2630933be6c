package org.kaffee.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.NetFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.tools.DrawNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee draw_net}: Caffe's python/draw_net.py. */
@Command(name = "draw_net", mixinStandardHelpOptions = true,
    description = {"Draw the graph of a net prototxt (Caffe's python/draw_net.py): layers as boxes"
        + " with their type and key parameters, blobs as octagons (with their shapes when the net"
        + " builds), edges from bottoms to layers to tops.",
        "OUTPUT ending in .dot/.gv/.raw gets the Graphviz DOT text Kaffee writes itself. Any other"
        + " extension (.png, .svg, .pdf ...) is drawn by Graphviz's 'dot' program; without"
        + " Graphviz the DOT text is written next to it (same name, .dot) and the command fails"
        + " (exit 1) saying so, since the image asked for was not made."})
final class DrawNetCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "NET_PROTOTXT", description = "The net (text NetParameter).")
  Path net;

  @Parameters(index = "1", paramLabel = "OUTPUT", description = "out.dot, out.png, out.svg ...")
  Path output;

  @Option(names = {"--rankdir", "-rankdir"}, defaultValue = "LR",
      description = "Graph direction: LR, TB, BT or RL (default: ${DEFAULT-VALUE}).")
  String rankdir;

  @Option(names = {"--phase", "-phase"}, defaultValue = "ALL",
      description = "Layers of which phase to draw: TRAIN, TEST or ALL (default: ${DEFAULT-VALUE}).")
  String phase;

  @Option(names = {"--display_lrm", "-display_lrm"},
      description = "Show the learning rate multipliers of Convolution, Deconvolution and"
          + " InnerProduct layers.")
  boolean displayLrm;

  @Option(names = {"--no-shapes"},
      description = "Do not build the net to show blob shapes.")
  boolean noShapes;

  @Option(names = {"--dot-program"}, defaultValue = "dot", hidden = true)
  String dotProgram;

  @Override
  public void run() {
    if (!Files.exists(net)) {
      throw new KaffeeException("net file not found: " + net);
    }
    Phase drawPhase = switch (phase.toUpperCase(Locale.ROOT)) {
      case "ALL" -> null;
      case "TRAIN" -> Phase.TRAIN;
      case "TEST" -> Phase.TEST;
      default -> throw new KaffeeException("--phase must be TRAIN, TEST or ALL, got '" + phase + "'");
    };
    DrawNet.Options options = new DrawNet.Options(rankdir.toUpperCase(Locale.ROOT), drawPhase,
        displayLrm, true);
    NetParameter param = NetFiles.readNetText(net);
    Map<String, int[]> shapes = Map.of();
    if (!noShapes) {
      String[] why = {null};
      shapes = DrawNet.blobShapes(param, drawPhase, why);
      if (why[0] != null) {
        Glog.info("Drawing without blob shapes: %s", why[0]);
      }
    }
    String dot = DrawNet.toDot(param, options, shapes);
    Glog.info("Drawing net to %s", output);
    if (DrawNet.DOT_EXTENSIONS.contains(DrawNet.extension(output))) {
      DrawNet.writeText(output, dot);
    } else {
      DrawNet.render(dot, output, dotProgram);
    }
  }
}
