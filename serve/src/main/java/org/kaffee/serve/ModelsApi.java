package org.kaffee.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Layer;
import org.kaffee.core.Net;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.tools.DrawNet;
import org.kaffee.visual.BlobPictures;
import org.kaffee.api.Labels;
import org.kaffee.api.Preprocessing;

/** Models: deploy nets and caffemodels under the runs directory, their graph, filters and "classify one". */
final class ModelsApi {
  /** Uploads larger than this are refused (413) before they are decoded. */
  static final int MAX_UPLOAD_BYTES = 4 << 20;

  private final RunsRoot root;
  private final LoadedNets nets = new LoadedNets();

  ModelsApi(RunsRoot root) {
    this.root = root;
  }

  void register(Javalin app) {
    app.get("/api/models", this::list);
    app.get("/api/model/layers", this::layers);
    app.get("/api/model/graph.svg", this::graph);
    app.get("/api/model/filters.png", this::filters);
    app.post("/api/model/classify", this::classify);
  }

  private void list(Context ctx) {
    List<String> deploy = new ArrayList<>();
    for (Path file : root.find(p -> p.toString().endsWith(".prototxt"))) {
      if (isDeployNet(file)) {
        deploy.add(root.relative(file));
      }
    }
    List<String> weights = root.find(p -> p.toString().endsWith(".caffemodel")).stream()
        .map(root::relative).toList();
    ctx.json(Map.of("nets", deploy, "weights", weights));
  }

  /** A net prototxt with an Input layer (solvers and train nets are left out). */
  private static boolean isDeployNet(Path file) {
    try {
      NetParameter net = NetFiles.readNetText(file);
      return net.getInputCount() > 0
          || net.getLayerList().stream().anyMatch(l -> l.getType().equals("Input"));
    } catch (KaffeeException e) {
      return false;
    }
  }

  private Path net(Context ctx) {
    return root.resolve(ctx.queryParam("net"), "net");
  }

  private Path weights(Context ctx) {
    String w = ctx.queryParam("weights");
    return w == null || w.isEmpty() ? null : root.resolve(w, "weights");
  }

  private void layers(Context ctx) {
    Path weights = weights(ctx);
    ctx.json(nets.with(net(ctx), weights, network -> {
      Net net = network.core();
      List<Map<String, Object>> out = new ArrayList<>();
      for (int i = 0; i < net.layers().size(); i++) {
        Layer layer = net.layers().get(i);
        if (layer.type().equals("Split")) {
          continue;  // inserted by the net, not in the prototxt
        }
        long params = 0;
        for (Blob b : layer.blobs()) {
          params += b.count();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", layer.name());
        row.put("type", layer.type());
        row.put("top", net.topVecs().get(i).isEmpty() ? "" : net.topVecs().get(i).get(0).shapeString());
        row.put("params", params);
        row.put("filters", !layer.blobs().isEmpty() && layer.blobs().get(0).numAxes() == 4);
        out.add(row);
      }
      return out;
    }));
  }

  private void graph(Context ctx) throws IOException {
    NetParameter param = NetFiles.readNetText(net(ctx));
    String dot = DrawNet.toDot(param, DrawNet.Options.defaults(), DrawNet.blobShapes(param, null, new String[1]));
    Path dir = Files.createTempDirectory("kaffee-graph");
    Path svg = dir.resolve("net.svg");
    try {
      DrawNet.render(dot, svg, "dot");
      ctx.contentType("image/svg+xml").result(Files.readAllBytes(svg));
    } catch (KaffeeException e) {
      throw new HttpProblem(503, e.getMessage());
    } finally {
      try (var left = Files.list(dir)) {
        for (Path f : left.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  private void filters(Context ctx) {
    String layer = ctx.queryParam("layer");
    if (layer == null || layer.isEmpty()) {
      throw HttpProblem.badRequest("missing parameter 'layer'");
    }
    byte[] png = nets.with(net(ctx), weights(ctx), network -> {
      Net net = network.core();
      if (!net.layerNames().contains(layer)) {
        throw HttpProblem.notFound("the net has no layer '" + layer + "'");
      }
      return BlobPictures.filters(net.layerByName(layer)).encode("png");
    });
    ctx.contentType("image/png").result(png);
  }

  private void classify(Context ctx) throws IOException {
    UploadedFile upload = ctx.uploadedFile("image");
    if (upload == null) {
      throw HttpProblem.badRequest("upload an image in the form field 'image'");
    }
    if (upload.size() > MAX_UPLOAD_BYTES) {
      throw new HttpProblem(413, "the image is larger than " + (MAX_UPLOAD_BYTES >> 20) + " MB");
    }
    byte[] image;
    try (InputStream in = upload.content()) {
      image = in.readNBytes(MAX_UPLOAD_BYTES + 1);
    }
    Path netFile = root.resolve(ctx.formParam("net"), "net");
    String w = ctx.formParam("weights");
    Path weights = w == null || w.isEmpty() ? null : root.resolve(w, "weights");
    Preprocessing preprocessing = new Preprocessing().scale(number(ctx.formParam("scale"), "scale", 1f));
    float[] means = meanValues(ctx.formParam("mean_value"));
    if (means.length > 0) {
      preprocessing.meanValues(means);
    }
    List<String> labels = weights == null ? List.of() : labels(weights);
    if (labels.isEmpty()) {
      labels = labels(netFile);
    }
    List<String> names = labels;
    ctx.json(nets.with(netFile, weights, network ->
        Classification.run(network, preprocessing, image, names)));
  }

  /** Class names from a labels.txt beside a file (the API's labels file); none when it is missing. */
  private List<String> labels(Path beside) {
    Path file = beside.resolveSibling("labels.txt");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return Labels.read(root.resolve(root.relative(file), "labels")).stream().map(String::strip).toList();
  }

  private static float[] meanValues(String text) {
    if (text == null || text.isBlank()) {
      return new float[0];
    }
    String[] parts = text.split(",");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = number(parts[i].strip(), "mean_value", 0f);
    }
    return values;
  }

  private static float number(String text, String what, float otherwise) {
    if (text == null || text.isBlank()) {
      return otherwise;
    }
    try {
      return Float.parseFloat(text.strip());
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest(what + ": not a number: " + text);
    }
  }
}
