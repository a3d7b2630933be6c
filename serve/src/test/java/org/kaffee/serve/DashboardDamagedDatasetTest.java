package org.kaffee.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.testing.LmdbDamage;
import org.kaffee.testing.TinyTraining;

/**
 * The dashboard's dataset pages read databases through the checked reader: a damaged LMDB
 * under the runs directory is a 400 naming its data.mdb, and the server keeps serving (it
 * died with the JVM when a truncated data.mdb reached native LMDB).
 */
class DashboardDamagedDatasetTest {
  @TempDir
  Path root;

  @Test
  void aDamagedDatasetIsAnErrorNotACrash() throws Exception {
    TinyTraining.writeLmdb(root.resolve("cut_lmdb"), 300, 3);
    LmdbDamage.of(root.resolve("cut_lmdb")).truncate(5116).write();
    TinyTraining.writeLmdb(root.resolve("dupsort_lmdb"), 300, 3);
    LmdbDamage.of(root.resolve("dupsort_lmdb")).mainFlags(0x04).write();
    HttpClient http = HttpClient.newHttpClient();
    try (Dashboard dashboard = Dashboard.start(new RunsRoot(root), "127.0.0.1", 0, null)) {
      for (String page : new String[] {"/api/dataset", "/api/dataset/mean.png", "/api/dataset/samples.png"}) {
        for (String db : new String[] {"cut_lmdb", "dupsort_lmdb"}) {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + dashboard.port() + page + "?db=" + db)).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(400, r.statusCode(), page + " " + db + ": " + r.body());
          String error = new ObjectMapper().readTree(r.body()).get("error").asText();
          assertTrue(error.contains(root.resolve(db).resolve("data.mdb") + ": not a valid LMDB file ("), error);
        }
      }
      HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + dashboard.port() + "/api/datasets")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, list.statusCode());
    }
  }
}
