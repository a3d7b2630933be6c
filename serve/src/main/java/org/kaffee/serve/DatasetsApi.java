package org.kaffee.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.kaffee.data.ImageMean;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.visual.PictureFiles;

/** Datasets: the LMDB and LevelDB Datum databases under the runs directory. */
final class DatasetsApi {
  private final RunsRoot root;
  /** Summaries by directory and modification time: a pass over 60 000 records is not free. */
  private final Map<String, DatasetSummary> summaries = new ConcurrentHashMap<>();
  private final Map<String, byte[]> means = new ConcurrentHashMap<>();

  DatasetsApi(RunsRoot root) {
    this.root = root;
  }

  void register(Javalin app) {
    app.get("/api/datasets", this::list);
    app.get("/api/dataset", this::summary);
    app.get("/api/dataset/samples.png", ctx -> ctx.contentType("image/png")
        .result(summary(db(ctx)).samples().encode("png")));
    app.get("/api/dataset/mean.png", this::mean);
  }

  /** "lmdb" for a directory with data.mdb, "leveldb" for one with CURRENT, else null. */
  static String backend(Path dir) {
    if (Files.isRegularFile(dir.resolve("data.mdb"))) {
      return "lmdb";
    }
    return Files.isRegularFile(dir.resolve("CURRENT")) ? "leveldb" : null;
  }

  private void list(Context ctx) {
    List<Map<String, String>> dbs = root.find(p -> Files.isDirectory(p) && backend(p) != null).stream()
        .map(p -> Map.of("db", root.relative(p), "backend", backend(p))).toList();
    ctx.json(dbs);
  }

  private Path db(Context ctx) {
    Path dir = root.resolve(ctx.queryParam("db"), "db");
    if (!Files.isDirectory(dir) || backend(dir) == null) {
      throw HttpProblem.badRequest("db: not an LMDB or LevelDB directory: " + ctx.queryParam("db"));
    }
    return dir;
  }

  private DatasetSummary summary(Path dir) {
    return summaries.computeIfAbsent(key(dir), k -> DatasetSummary.read(dir, backend(dir)));
  }

  private void summary(Context ctx) {
    Path dir = db(ctx);
    DatasetSummary s = summary(dir);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("db", root.relative(dir));
    out.put("backend", backend(dir));
    out.put("records", s.records());
    out.put("shape", List.of(s.channels(), s.height(), s.width()));
    out.put("labels", s.labels());
    ctx.json(out);
  }

  private void mean(Context ctx) {
    Path dir = db(ctx);
    byte[] png = means.computeIfAbsent(key(dir), k -> {
      BlobProto mean = ImageMean.compute(dir, backend(dir));
      int[] shape = org.kaffee.core.Blob.protoShape(mean);
      int c = shape[shape.length - 3];
      float[] values = new float[mean.getDataCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = mean.getData(i);
      }
      return PictureFiles.picture(c == 3 ? values : java.util.Arrays.copyOf(values, values.length / c),
          c == 3 ? 3 : 1, shape[shape.length - 2], shape[shape.length - 1]).encode("png");
    });
    ctx.contentType("image/png").result(png);
  }

  private static String key(Path dir) {
    try {
      return dir + "@" + Files.getLastModifiedTime(dir.resolve(
          "lmdb".equals(backend(dir)) ? "data.mdb" : "CURRENT")).toMillis();
    } catch (IOException e) {
      return dir.toString();
    }
  }
}
