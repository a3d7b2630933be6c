package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;

/** A set of files appears under its final names whole or not at all. */
class AtomicFilesTest {
  @TempDir
  Path dir;

  private static AtomicFiles.Writer text(String content) {
    return tmp -> Files.writeString(tmp, content);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void committedFilesReplaceTheOldOnesAndLeaveNoTemporaryFile() throws IOException {
    Files.writeString(dir.resolve("a"), "old a");
    new AtomicFiles().write(dir.resolve("a"), text("new a")).write(dir.resolve("b"), text("new b"))
        .commit();
    assertEquals("new a", Files.readString(dir.resolve("a")));
    assertEquals("new b", Files.readString(dir.resolve("b")));
    assertEquals(List.of("a", "b"), names());
  }

  @Test
  void aFailedLaterWriteRenamesNothingAndRemovesEveryTemporaryFile() throws IOException {
    Files.writeString(dir.resolve("a"), "old a");
    AtomicFiles files = new AtomicFiles().write(dir.resolve("a"), text("new a"));
    KaffeeException e = assertThrows(KaffeeException.class, () -> files.write(dir.resolve("b"),
        tmp -> {
          Files.writeString(tmp, "half of b");
          throw new IOException("No space left on device");
        }));
    assertTrue(e.getMessage().startsWith(dir.resolve("b") + ": cannot write: No space left"), e.getMessage());
    assertEquals("old a", Files.readString(dir.resolve("a")));
    assertEquals(List.of("a"), names());
  }

  @Test
  void aFailedLaterRenameRemovesTheFilesAlreadyRenamed() throws IOException {
    // a non-empty directory under b's name: b.tmp is written but cannot be renamed over it
    Files.createDirectories(dir.resolve("b/inside"));
    AtomicFiles files = new AtomicFiles().write(dir.resolve("a"), text("new a"))
        .write(dir.resolve("b"), text("new b"));
    KaffeeException e = assertThrows(KaffeeException.class, files::commit);
    assertTrue(e.getMessage().contains(dir.resolve("b") + ": cannot write"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertEquals(List.of("b"), names());
    assertTrue(Files.isDirectory(dir.resolve("b/inside")));
  }

  @Test
  void replaceWritesOneFileAndLeavesNoTemporaryFile() throws IOException {
    Files.writeString(dir.resolve("a"), "old a");
    AtomicFiles.replace(dir.resolve("a"), text("new a"));
    assertEquals("new a", Files.readString(dir.resolve("a")));
    assertEquals(List.of("a"), names());
  }

  @Test
  void aFailedReplaceKeepsTheOldFileAndPassesTheWritersExceptionOn() throws IOException {
    Files.writeString(dir.resolve("a"), "old a");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.replace(dir.resolve("a"),
        tmp -> {
          Files.writeString(tmp, "half of a");
          throw new IOException("No space left on device");
        }));
    assertEquals("No space left on device", e.getMessage());
    assertEquals("old a", Files.readString(dir.resolve("a")));
    assertEquals(List.of("a"), names());
  }
}
