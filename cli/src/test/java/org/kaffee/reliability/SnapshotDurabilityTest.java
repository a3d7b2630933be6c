package org.kaffee.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.io.ProtoFiles;
import org.kaffee.testing.TinyTraining;

/**
 * A snapshot survives a power cut, not only a killed process: `kaffee train` runs under
 * strace(1), which records its fsync and rename calls. Both files' bytes must be fsynced before
 * the first rename, and the directory after each rename, so the solverstate (written last,
 * naming the caffemodel) is never on disk without its caffemodel. Before, no fsync was made.
 * Needs strace (Debian package strace); without it the test fails.
 */
class SnapshotDurabilityTest {
  private static final Pattern CALL = Pattern.compile(
      "^\\d+\\s+(fsync|rename|renameat|renameat2)\\((.*)\\) = 0$");

  @TempDir
  Path dir;

  @Test
  void filesAndDirectoryAreFsyncedAroundTheRenames() throws Exception {
    TinyTraining.writeLmdb(dir.resolve("train_lmdb"), 64, 5);
    ProtoFiles.writeText(dir.resolve("solver.prototxt"),
        TinyTraining.solver("SGD", 8, "max_iter: 2 snapshot_prefix: \"snap\""));
    Path trace = dir.resolve("strace.txt");
    KaffeeProcess p = KaffeeProcess.startUnder(List.of("strace", "-f", "--seccomp-bpf", "-y", "-qq",
        "-e", "trace=fsync,rename,renameat,renameat2", "-o", trace.toString()), dir, "train.log",
        "train", "--solver=solver.prototxt");
    assertEquals(0, p.waitFor(300), p.output());
    String real = dir.toRealPath().toString();
    List<String> calls = new ArrayList<>();
    for (String line : Files.readAllLines(trace)) {
      Matcher m = CALL.matcher(line);
      if (!m.matches()) {
        continue;
      }
      String args = m.group(2);
      if (m.group(1).equals("fsync")) {
        if (args.endsWith("<" + real + ">")) {
          calls.add("fsync directory");
        } else if (args.contains("/snap_iter_")) {
          calls.add("fsync " + args.substring(args.lastIndexOf('/') + 1, args.length() - 1));
        }
      } else if (args.contains("/snap_iter_")) {
        calls.add("rename to " + args.substring(args.lastIndexOf('/') + 1, args.lastIndexOf('"')));
      }
    }
    assertEquals(List.of(
        "fsync snap_iter_2.caffemodel.tmp",
        "fsync snap_iter_2.solverstate.tmp",
        "rename to snap_iter_2.caffemodel",
        "fsync directory",
        "rename to snap_iter_2.solverstate",
        "fsync directory"), calls, String.join("\n", Files.readAllLines(trace)));
  }
}
