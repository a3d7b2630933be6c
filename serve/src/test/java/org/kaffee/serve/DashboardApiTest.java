package org.kaffee.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.testing.Requirements;

/** The dashboard's JSON API over a hand-made runs directory, through real HTTP. */
class DashboardApiTest {
  @TempDir
  static Path dir;
  static Path root;
  static Dashboard dashboard;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws IOException {
    root = Files.createDirectories(dir.resolve("runs"));
    RunsFixture.create(root);
    Files.writeString(dir.resolve("secret.log"), "outside the runs directory");
    Files.createSymbolicLink(root.resolve("escape.log"), dir.resolve("secret.log"));
    dashboard = Dashboard.start(new RunsRoot(root), "127.0.0.1", 0, null);
  }

  @AfterAll
  static void stop() {
    dashboard.close();
  }

  static HttpResponse<byte[]> get(String path, Map<String, String> query) throws Exception {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path + q))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Test
  void runsListsTheLogsAndARunHasCurvesSolverSpeedAndEta() throws Exception {
    JsonNode runs = json(get("/api/runs", Map.of()));
    assertTrue(runs.toString().contains("\"lenet/train.log\""), runs.toString());
    JsonNode run = json(get("/api/run", Map.of("log", "lenet/train.log")));
    assertEquals(11, run.get("train").get("rows").size(), "iterations 0, 100, ..., 1000");
    assertEquals(6, run.get("test").get("rows").size(), "tests at 0, 200, ..., 1000");
    assertTrue(run.get("test").get("columns").toString().contains("accuracy"));
    assertEquals(1000, run.get("maxIter").asInt());
    assertEquals(12.5, run.get("speed").asDouble());
    assertEquals("0:01:00", run.get("eta").asText());
    assertTrue(run.get("finished").asBoolean());
    assertTrue(run.get("solver").asText().contains("base_lr: 0.01"));
  }

  @Test
  void pathsOutsideTheRunsDirectoryAreRefusedWithAMessage() throws Exception {
    HttpResponse<byte[]> up = get("/api/run", Map.of("log", "../secret.log"));
    assertEquals(400, up.statusCode());
    assertTrue(json(up).get("error").asText().contains("'..'"), new String(up.body()));
    HttpResponse<byte[]> absolute = get("/api/run", Map.of("log", dir.resolve("secret.log").toString()));
    assertEquals(400, absolute.statusCode());
    assertTrue(json(absolute).get("error").asText().contains("absolute"));
    HttpResponse<byte[]> link = get("/api/run", Map.of("log", "escape.log"));
    assertEquals(403, link.statusCode());
    assertTrue(json(link).get("error").asText().contains("outside the runs directory"));
    HttpResponse<byte[]> hidden = get("/api/run", Map.of("log", "lenet/./../../secret.log"));
    assertEquals(400, hidden.statusCode());
    assertEquals(404, get("/api/run", Map.of("log", "nothing.log")).statusCode());
    assertEquals(400, get("/api/run", Map.of()).statusCode());
    assertTrue(!json(get("/api/runs", Map.of())).toString().contains("escape.log"),
        "a symbolic link out is not listed");
  }

  @Test
  void modelsListDeployNetsAndWeightsAndDrawFilters() throws Exception {
    JsonNode models = json(get("/api/models", Map.of()));
    assertEquals("model/deploy.prototxt", models.get("nets").get(0).asText());
    assertEquals("model/tiny.caffemodel", models.get("weights").get(0).asText());
    JsonNode layers = json(get("/api/model/layers", Map.of("net", "model/deploy.prototxt")));
    assertEquals("conv1", layers.get(1).get("name").asText());
    assertEquals(2 * 9 + 2, layers.get(1).get("params").asInt());
    assertTrue(layers.get(1).get("filters").asBoolean());
    HttpResponse<byte[]> filters = get("/api/model/filters.png", Map.of("net", "model/deploy.prototxt",
        "weights", "model/tiny.caffemodel", "layer", "conv1"));
    assertEquals(200, filters.statusCode());
    assertEquals(new org.kaffee.visual.TileGrid(2, 0, 1, 3, 3).width(),
        ImageIO.read(new ByteArrayInputStream(filters.body())).getWidth());
    assertEquals(404, get("/api/model/filters.png", Map.of("net", "model/deploy.prototxt",
        "layer", "conv9")).statusCode());
  }

  @Test
  void theGraphIsAnSvgOfTheNet() throws Exception {
    Requirements.requireGraphviz();
    HttpResponse<byte[]> graph = get("/api/model/graph.svg", Map.of("net", "model/deploy.prototxt"));
    String body = new String(graph.body(), StandardCharsets.UTF_8);
    assertEquals(200, graph.statusCode(), body);
    assertTrue(body.contains("<svg") && body.contains("conv1"), body);
  }

  static HttpResponse<byte[]> upload(byte[] image, String net, String weights) throws Exception {
    String boundary = "----kaffee-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String[] field : new String[][] {{"net", net}, {"weights", weights}, {"scale", "1"}}) {
      body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0]
          + "\"\r\n\r\n" + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.png\""
        + "\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.write(image);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port()
            + "/api/model/classify"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void classifyOneGivesTheTopClassesWithLabelsAndTheFeatureMaps() throws Exception {
    HttpResponse<byte[]> r = upload(RunsFixture.png(true), "model/deploy.prototxt", "model/tiny.caffemodel");
    assertEquals(200, r.statusCode(), new String(r.body()));
    JsonNode result = json(r);
    assertEquals("top-bright", result.get("top").get(0).get("label").asText());
    assertTrue(result.get("top").get(0).get("probability").asDouble() > 0.99);
    assertEquals(3, result.get("top").size());
    assertEquals("conv1", result.get("maps").get(0).get("blob").asText());
    assertTrue(result.get("maps").get(0).get("png").asText().startsWith("data:image/png;base64,"));
    JsonNode bottom = json(upload(RunsFixture.png(false), "model/deploy.prototxt", "model/tiny.caffemodel"));
    assertEquals("bottom-bright", bottom.get("top").get(0).get("label").asText());
  }

  @Test
  void badUploadsAreRefusedWithAMessage() throws Exception {
    HttpResponse<byte[]> notImage = upload("hello".getBytes(), "model/deploy.prototxt", "");
    assertEquals(400, notImage.statusCode());
    assertTrue(json(notImage).get("error").asText().contains("cannot decode image"), new String(notImage.body()));
    HttpResponse<byte[]> huge = upload(new byte[ModelsApi.MAX_UPLOAD_BYTES + 100_000], "model/deploy.prototxt", "");
    assertEquals(413, huge.statusCode(), new String(huge.body()));
    HttpResponse<byte[]> escape = upload(RunsFixture.png(true), "../model/deploy.prototxt", "");
    assertEquals(400, escape.statusCode());
  }

  @Test
  void datasetsCountRecordsHistogramLabelsAndDrawSamplesAndMean() throws Exception {
    JsonNode dbs = json(get("/api/datasets", Map.of()));
    assertEquals("digits_lmdb", dbs.get(0).get("db").asText());
    JsonNode d = json(get("/api/dataset", Map.of("db", "digits_lmdb")));
    assertEquals(10, d.get("records").asInt());
    assertEquals(4, d.get("labels").get("0").asInt());
    assertEquals(3, d.get("labels").get("2").asInt());
    HttpResponse<byte[]> samples = get("/api/dataset/samples.png", Map.of("db", "digits_lmdb"));
    var grid = ImageIO.read(new ByteArrayInputStream(samples.body()));
    org.kaffee.visual.TileGrid layout = new org.kaffee.visual.TileGrid(10, 0, 1, 4, 4);
    assertEquals(layout.width(), grid.getWidth());
    assertEquals(0, grid.getRaster().getSample(layout.originX(0), layout.originY(0), 0), "record 0 is black");
    assertEquals(255, grid.getRaster().getSample(layout.originX(9), layout.originY(9), 0), "record 9 the brightest");
    var mean = ImageIO.read(new ByteArrayInputStream(get("/api/dataset/mean.png", Map.of("db", "digits_lmdb")).body()));
    assertEquals(org.kaffee.visual.TileGrid.single(1, 4, 4).width(), mean.getWidth());
    assertEquals(400, get("/api/dataset", Map.of("db", "model")).statusCode());
  }

  @Test
  void aTokenGuardsTheApiAndOtherAddressesNeedOne() throws Exception {
    try (Dashboard guarded = Dashboard.start(new RunsRoot(root), "127.0.0.1", 0, "s3cret")) {
      String base = "http://127.0.0.1:" + guarded.port() + "/api/runs";
      assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create(base + "?token=wrong")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base))
          .header("Authorization", "Bearer s3cret").build(), HttpResponse.BodyHandlers.discarding()).statusCode());
      assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create(base + "?token=s3cret")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
    }
    String message = assertThrows(KaffeeException.class,
        () -> Dashboard.start(new RunsRoot(root), "0.0.0.0", 0, null)).getMessage();
    assertTrue(message.contains("--token"), message);
  }

  @Test
  void thePagesAreServedFromTheJar() throws Exception {
    String index = new String(get("/", Map.of()).body(), StandardCharsets.UTF_8);
    assertTrue(index.contains("<script src=\"app.js\">"), index);
    assertEquals(200, get("/plot.js", Map.of()).statusCode());
    assertTrue(!index.contains("http://") && !index.contains("https://"), "nothing from the network");
  }
}
