package org.kaffee.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Training runs: every {@code *.log} under the runs directory, its curves and its snapshots. */
final class RunsApi {
  private final RunsRoot root;

  RunsApi(RunsRoot root) {
    this.root = root;
  }

  void register(Javalin app) {
    app.get("/api/runs", this::list);
    app.get("/api/run", this::run);
  }

  private void list(Context ctx) throws IOException {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (Path log : root.find(p -> p.getFileName().toString().endsWith(".log"))) {
      runs.add(Map.of("log", root.relative(log), "bytes", Files.size(log),
          "modified", Files.getLastModifiedTime(log).toMillis()));
    }
    ctx.json(runs);
  }

  private void run(Context ctx) throws IOException {
    Path log = root.resolve(ctx.queryParam("log"), "log");
    if (!Files.isRegularFile(log)) {
      throw HttpProblem.badRequest("log: not a file: " + ctx.queryParam("log"));
    }
    Map<String, Object> out = new java.util.LinkedHashMap<>(RunLog.read(log));
    out.put("log", root.relative(log));
    List<String> snapshots = new ArrayList<>();
    try (var files = Files.list(log.getParent())) {
      files.filter(f -> f.toString().endsWith(".caffemodel") || f.toString().endsWith(".solverstate"))
          .sorted().forEach(f -> snapshots.add(root.relative(f)));
    }
    out.put("snapshots", snapshots);
    ctx.json(out);
  }
}
