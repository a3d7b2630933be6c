package org.kaffee.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.LayerRegistry;
import org.kaffee.core.Net;
import org.kaffee.io.AtomicFiles;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.NetStateRule;
import org.kaffee.proto.Caffe.ParamSpec;
import org.kaffee.proto.Caffe.Phase;
import org.kaffee.proto.Caffe.PoolingParameter;

/**
 * Caffe's {@code python/draw_net.py} in Java: the graph of a net as Graphviz DOT text.
 * Layers are records labelled with name, type and spatial parameters (colours as in
 * Caffe: convolutions red, pooling orange, inner products purple, in-place neurons green,
 * others blue), blobs are grey octagons, edges run bottom blob → layer → top blob and the
 * layer → top edges carry Caffe's labels ({@code Batch N} for Data, {@code num_output} for
 * Convolution/Deconvolution/InnerProduct). Blob labels can carry their shapes when the net
 * can be built. Images (.png, .svg, .pdf ...) are made by Graphviz's {@code dot} program.
 */
public final class DrawNet {
  /** File extensions written as DOT text without Graphviz. */
  public static final Set<String> DOT_EXTENSIONS = Set.of("dot", "gv", "raw");
  public static final Set<String> RANKDIRS = Set.of("LR", "TB", "BT", "RL");

  private static final String BLOB_FILL = "#E0E0E0";
  private static final String NEURON_FILL = "#90EE90";

  private DrawNet() {
  }

  /** Options of a drawing. {@code phase} null draws every layer (Caffe's ALL). */
  public record Options(String rankdir, Phase phase, boolean displayLrMult, boolean labelEdges) {
    public Options {
      KaffeeException.check(RANKDIRS.contains(rankdir),
          "--rankdir must be one of LR, TB, BT, RL, got '%s'", rankdir);
    }

    public static Options defaults() {
      return new Options("LR", null, false, true);
    }
  }

  /** Whether Caffe's draw_net includes a layer for a phase (phase rules only; null = all). */
  static boolean included(LayerParameter layer, Phase phase) {
    if (phase == null) {
      return true;
    }
    KaffeeException.check(layer.getIncludeCount() == 0 || layer.getExcludeCount() == 0,
        "layer %s has both include and exclude rules", layer.getName());
    boolean included = layer.getIncludeCount() == 0;
    for (NetStateRule rule : layer.getIncludeList()) {
      included = included || !rule.hasPhase() || rule.getPhase() == phase;
    }
    for (NetStateRule rule : layer.getExcludeList()) {
      included = included && !(rule.hasPhase() && rule.getPhase() == phase);
    }
    return included;
  }

  /**
   * The DOT text of a net. {@code shapes} maps blob names to their shapes (may be empty);
   * a blob with a known shape shows it under its name.
   */
  public static String toDot(NetParameter net, Options options, Map<String, int[]> shapes) {
    String sep = options.rankdir().equals("TB") || options.rankdir().equals("BT") ? " " : "\\n";
    Map<String, String> nodes = new LinkedHashMap<>();
    List<String> edges = new ArrayList<>();
    for (LayerParameter layer : net.getLayerList()) {
      if (!included(layer, options.phase())) {
        continue;
      }
      // Caffe's node name; a second layer of the same name and type (the TRAIN and TEST
      // data layers of a train_test net) gets its own node instead of merging
      String layerId = layer.getName() + "_" + layer.getType();
      for (int k = 2; nodes.containsKey(layerId); k++) {
        layerId = layer.getName() + "_" + layer.getType() + "_" + k;
      }
      boolean inPlaceNeuron = layer.getBottomCount() == 1 && layer.getTopCount() == 1
          && layer.getBottom(0).equals(layer.getTop(0));
      String fill = inPlaceNeuron ? NEURON_FILL : layerColor(layer.getType());
      String label = layerLabel(layer, sep, options.displayLrMult());
      String phases = options.phase() == null ? phaseRules(layer) : "";
      if (!phases.isEmpty()) {
        label += sep + recordEscape(phases);
      }
      nodes.put(layerId, String.format("label=\"%s\", shape=record, style=filled, fillcolor=\"%s\"",
          label, fill));
      for (String bottom : layer.getBottomList()) {
        putBlob(nodes, bottom, shapes);
        edges.add(String.format("%s -> %s", quote(bottom + "_blob"), quote(layerId)));
      }
      String edgeLabel = options.labelEdges() ? edgeLabel(layer) : "";
      for (String top : layer.getTopList()) {
        putBlob(nodes, top, shapes);
        edges.add(String.format("%s -> %s%s", quote(layerId), quote(top + "_blob"),
            edgeLabel.isEmpty() ? "" : " [label=\"" + escape(edgeLabel) + "\"]"));
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote(net.getName().isEmpty() ? "Net" : net.getName()))
        .append(" {\n");
    sb.append("  graph [rankdir=").append(options.rankdir()).append("];\n");
    sb.append("  node [fontname=\"Helvetica\", fontsize=11];\n");
    sb.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (Map.Entry<String, String> node : nodes.entrySet()) {
      sb.append("  ").append(quote(node.getKey())).append(" [").append(node.getValue())
          .append("];\n");
    }
    for (String edge : edges) {
      sb.append("  ").append(edge).append(";\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  /** "TRAIN only", "not TEST" ... for a layer with phase rules, else "". */
  static String phaseRules(LayerParameter layer) {
    List<String> inc = new ArrayList<>();
    for (NetStateRule r : layer.getIncludeList()) {
      if (r.hasPhase()) {
        inc.add(r.getPhase().name());
      }
    }
    if (!inc.isEmpty()) {
      return String.join("/", inc) + " only";
    }
    List<String> exc = new ArrayList<>();
    for (NetStateRule r : layer.getExcludeList()) {
      if (r.hasPhase()) {
        exc.add(r.getPhase().name());
      }
    }
    return exc.isEmpty() ? "" : "not " + String.join("/", exc);
  }

  private static void putBlob(Map<String, String> nodes, String blob, Map<String, int[]> shapes) {
    String label = escape(blob);
    int[] shape = shapes.get(blob);
    if (shape != null) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < shape.length; i++) {
        s.append(i > 0 ? "x" : "").append(shape[i]);
      }
      label += "\\n(" + (shape.length == 0 ? "scalar" : s) + ")";
    }
    nodes.put(blob + "_blob", String.format(
        "label=\"%s\", shape=octagon, style=filled, fillcolor=\"%s\"", label, BLOB_FILL));
  }

  static String layerColor(String type) {
    return switch (type) {
      case "Convolution", "Deconvolution" -> "#FF5050";
      case "Pooling" -> "#FF9900";
      case "InnerProduct" -> "#CC33FF";
      default -> "#6495ED";
    };
  }

  static String edgeLabel(LayerParameter layer) {
    return switch (layer.getType()) {
      case "Data" -> "Batch " + layer.getDataParam().getBatchSize();
      case "Convolution", "Deconvolution" ->
          String.valueOf(layer.getConvolutionParam().getNumOutput());
      case "InnerProduct" -> String.valueOf(layer.getInnerProductParam().getNumOutput());
      default -> "";
    };
  }

  /** The label of a layer's record: name, (type), spatial parameters, num_output, lr mults. */
  static String layerLabel(LayerParameter layer, String sep, boolean displayLrMult) {
    List<String> parts = new ArrayList<>();
    parts.add(recordEscape(layer.getName()));
    if (layer.getType().equals("Pooling")) {
      parts.add(recordEscape("(Pooling " + layer.getPoolingParam().getPool().name() + ")"));
    } else {
      parts.add(recordEscape("(" + layer.getType() + ")"));
    }
    switch (layer.getType()) {
      case "Convolution", "Deconvolution" -> {
        ConvolutionParameter p = layer.getConvolutionParam();
        String kernel = p.hasKernelH() || p.hasKernelW()
            ? hw(p.getKernelH(), p.getKernelW())
            : String.valueOf(p.getKernelSizeCount() > 0 ? p.getKernelSize(0) : 1);
        String stride = p.hasStrideH() || p.hasStrideW()
            ? hw(p.getStrideH(), p.getStrideW())
            : String.valueOf(p.getStrideCount() > 0 ? p.getStride(0) : 1);
        String pad = p.hasPadH() || p.hasPadW()
            ? hw(p.getPadH(), p.getPadW())
            : String.valueOf(p.getPadCount() > 0 ? p.getPad(0) : 0);
        parts.add("kernel size: " + kernel);
        parts.add("stride: " + stride);
        parts.add("pad: " + pad);
        if (p.getDilationCount() > 0 && p.getDilation(0) > 1) {
          parts.add("dilation: " + p.getDilation(0));
        }
        if (p.getGroup() > 1) {
          parts.add("group: " + p.getGroup());
        }
        parts.add("num_output: " + p.getNumOutput());
      }
      case "Pooling" -> {
        PoolingParameter p = layer.getPoolingParam();
        if (p.getGlobalPooling()) {
          parts.add("global pooling");
        } else {
          parts.add("kernel size: " + (p.hasKernelH() || p.hasKernelW()
              ? hw(p.getKernelH(), p.getKernelW()) : String.valueOf(p.getKernelSize())));
          parts.add("stride: " + (p.hasStrideH() || p.hasStrideW()
              ? hw(p.getStrideH(), p.getStrideW()) : String.valueOf(p.getStride())));
          parts.add("pad: " + (p.hasPadH() || p.hasPadW()
              ? hw(p.getPadH(), p.getPadW()) : String.valueOf(p.getPad())));
        }
      }
      case "InnerProduct" -> parts.add("num_output: " + layer.getInnerProductParam().getNumOutput());
      default -> {
      }
    }
    if (displayLrMult && Set.of("Convolution", "Deconvolution", "InnerProduct")
        .contains(layer.getType())) {
      float w = layer.getParamCount() > 0 ? lrMult(layer.getParam(0)) : 1f;
      float b = layer.getParamCount() > 1 ? lrMult(layer.getParam(1)) : 1f;
      if (w != 0 || b != 0) {
        parts.add(String.format(Locale.ROOT, "lr mult: %.1f, %.1f", w, b));
      }
    }
    return String.join(sep, parts);
  }

  private static float lrMult(ParamSpec spec) {
    return spec.hasLrMult() ? spec.getLrMult() : 1f;
  }

  private static String hw(int h, int w) {
    return h == w ? String.valueOf(h) : h + "x" + w;
  }

  private static String quote(String id) {
    return "\"" + escape(id) + "\"";
  }

  /** Escapes a string for a double-quoted DOT string. */
  static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Escapes a string for a record label, where {, }, |, < and > are field syntax. */
  static String recordEscape(String s) {
    String e = escape(s);
    StringBuilder sb = new StringBuilder();
    for (char c : e.toCharArray()) {
      if ("{}|<>".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  // ---- blob shapes -------------------------------------------------------------------

  /**
   * Blob shapes from building the net for {@code phase} (TEST when null), or an empty map
   * with the reason in {@code why[0]} when a layer type is unknown, a data source is
   * missing or the net does not build.
   */
  public static Map<String, int[]> blobShapes(NetParameter net, Phase phase, String[] why) {
    Phase p = phase == null ? Phase.TEST : phase;
    for (LayerParameter layer : net.getLayerList()) {
      if (!included(layer, p)) {
        continue;
      }
      if (!LayerRegistry.isRegistered(layer.getType())) {
        why[0] = "layer type " + layer.getType() + " (layer " + layer.getName()
            + ") is not known to this build";
        return Map.of();
      }
      String source = switch (layer.getType()) {
        case "Data" -> layer.getDataParam().getSource();
        case "ImageData" -> layer.getImageDataParam().getSource();
        case "HDF5Data" -> layer.getHdf5DataParam().getSource();
        case "WindowData" -> layer.getWindowDataParam().getSource();
        default -> null;
      };
      if (source != null && (source.isEmpty() || !Files.exists(WorkDir.resolve(source)))) {
        why[0] = "data source '" + source + "' of layer " + layer.getName() + " not found";
        return Map.of();
      }
    }
    PrintStream log = Glog.output();
    Glog.setOutput(new PrintStream(OutputStream.nullOutputStream()));
    try {
      Map<String, int[]> shapes = new LinkedHashMap<>();
      try (Net built = Net.forPhase(net, p, 0, List.of())) {
        List<String> names = built.blobNames();
        List<Blob> blobs = built.blobs();
        for (int i = 0; i < names.size(); i++) {
          shapes.put(names.get(i), blobs.get(i).shape());
        }
      }
      return shapes;
    } catch (RuntimeException | LinkageError e) {
      why[0] = "the " + p + " net does not build: " + e.getMessage();
      return Map.of();
    } finally {
      Glog.setOutput(log);
    }
  }

  // ---- output ------------------------------------------------------------------------

  /** The extension of a file name, lower case ("" when none). */
  public static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** Writes a text file atomically. */
  public static void writeText(Path file, String text) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new KaffeeException("output directory not found: " + dir);
    }
    try {
      AtomicFiles.replace(file, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KaffeeException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renders DOT text to {@code out} with Graphviz ({@code dotProgram -T<ext>}). Without
   * Graphviz it writes the DOT text next to {@code out} (same name, .dot) and throws a
   * KaffeeException that says so and how to finish the image.
   */
  public static void render(String dot, Path out, String dotProgram) {
    String ext = extension(out);
    KaffeeException.check(!ext.isEmpty(),
        "output file %s has no extension; use .dot, .png, .svg, .pdf ...", out);
    Path dir = out.toAbsolutePath().getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new KaffeeException("output directory not found: " + dir);
    }
    try {
      AtomicFiles.replace(out, tmp -> runGraphviz(dot, out, tmp, dotProgram, ext));
    } catch (IOException e) {
      throw new KaffeeException("cannot draw " + out + " with Graphviz: " + e.getMessage(), e);
    }
  }

  /** Runs Graphviz on the DOT text, drawing into {@code tmp}. */
  private static void runGraphviz(String dot, Path out, Path tmp, String dotProgram, String ext)
      throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(dotProgram, "-T" + ext, "-o", tmp.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      String name = out.getFileName().toString();
      Path dotFile = out.resolveSibling(name.substring(0, name.length() - ext.length()) + "dot");
      writeText(dotFile, dot);
      throw new KaffeeException(String.format(
          "Graphviz '%s' is not installed (or not on PATH), so %s was not drawn; the graph is"
          + " written as DOT to %s: install Graphviz and run 'dot -T%s %s -o %s',"
          + " or ask draw_net for a .dot file", dotProgram, out, dotFile, ext, dotFile, out));
    }
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(dot.getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (InputStream es = process.getErrorStream()) {
        es.transferTo(err);
      }
      if (!process.waitFor(300, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new KaffeeException("Graphviz '" + dotProgram + "' did not finish drawing " + out);
      }
      if (process.exitValue() != 0 || !Files.exists(tmp)) {
        throw new KaffeeException(String.format("Graphviz '%s -T%s' failed for %s (exit %d): %s",
            dotProgram, ext, out, process.exitValue(),
            err.toString(StandardCharsets.UTF_8).strip().replace('\n', ' ')));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KaffeeException("interrupted while drawing " + out);
    }
  }
}
