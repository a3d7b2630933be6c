package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.api.Kaffee;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;
import org.kaffee.export.OnnxExporter;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee export_onnx}: a deploy net and its weights as an ONNX model (opset 13). */
@Command(name = "export_onnx", mixinStandardHelpOptions = true,
    description = "Write a deploy net with its weights as an ONNX model (opset 13) for ONNX Runtime,"
        + " OpenCV's dnn module and other ONNX readers. Every dimension, the batch included, is"
        + " the one the net's input declares.")
final class ExportOnnxCommand implements Runnable {
  @Option(names = {"--model", "-model"}, required = true, description = "The deploy net (prototxt).")
  String model;

  @Option(names = {"--weights", "-weights"},
      description = "The trained weights (caffemodel files separated by ','); without, the fillers give them.")
  String weights = "";

  @Parameters(index = "0", paramLabel = "OUT.onnx", description = "The ONNX file to write.")
  Path output;

  @Override
  public void run() {
    KaffeeException.check(!model.isEmpty(), "need a deploy net (--model)");
    Net net = Kaffee.open(WorkDir.resolve(model)).weights(weights).load().core();
    Path out = WorkDir.resolve(output.toString());
    OnnxExporter.write(net, out);
    Glog.info("Wrote %s (ONNX opset %d, %d layers)", out, OnnxExporter.OPSET, net.layers().size());
  }
}
