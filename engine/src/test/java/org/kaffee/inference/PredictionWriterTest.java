package org.kaffee.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.api.Prediction;
import org.kaffee.core.KaffeeException;

/** classify's --output file appears whole or not at all; an earlier file stays until then. */
class PredictionWriterTest {
  @TempDir
  Path dir;

  private static void addTwo(PredictionWriter writer) {
    writer.add(new Record("a.png", 1, null, null), List.of(new Prediction(1, "one", 0.75f),
        new Prediction(0, "zero", 0.25f)));
    writer.add(new Record("b, c.png", -1, null, null), List.of(new Prediction(0, "zero", 0.5f)));
  }

  @Test
  void anEarlierFileStaysAsItWasUntilTheWriterFinishes() throws Exception {
    Path csv = Files.writeString(dir.resolve("preds.csv"), "earlier\n");
    PredictionWriter writer = new PredictionWriter(csv);
    addTwo(writer);
    assertEquals("earlier\n", Files.readString(csv), "a run killed now would leave a partial file");
    writer.finish();
    assertEquals("input,label,rank,class,name,probability\na.png,1,1,1,one,0.75\na.png,1,2,0,zero,0.25\n"
        + "\"b, c.png\",-1,1,0,zero,0.5\n", Files.readString(csv));
    assertFalse(Files.exists(dir.resolve("preds.csv.tmp")));
  }

  @Test
  void aFailingWriteKeepsTheEarlierFileAndLeavesNoTemporaryFile() throws Exception {
    Path json = Files.writeString(dir.resolve("preds.json"), "[]");
    PredictionWriter writer = new PredictionWriter(json);
    addTwo(writer);
    // a directory where the temporary file goes: writing it fails as a full disk would
    Files.createDirectory(dir.resolve("preds.json.tmp"));
    KaffeeException e = assertThrows(KaffeeException.class, writer::finish);
    assertTrue(e.getMessage().startsWith("cannot write " + json), e.getMessage());
    assertEquals("[]", Files.readString(json));
    assertFalse(Files.exists(dir.resolve("preds.json.tmp")), "the temporary file was left behind");
  }

  @Test
  void aMissingDirectoryFailsBeforeAnyWork() {
    KaffeeException e = assertThrows(KaffeeException.class,
        () -> new PredictionWriter(dir.resolve("missing/preds.csv")));
    assertEquals("--output=" + dir.resolve("missing/preds.csv") + ": no such directory " + dir.resolve("missing"),
        e.getMessage());
  }
}
