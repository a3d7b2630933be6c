package org.kaffee.layers.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;

class WindowFileTest {
  @TempDir
  Path dir;

  @Test
  void windowsAreForegroundOrBackgroundByOverlap() {
    WindowFile file = new WindowFile(Path.of("models/windowdata/windows.txt"), "root/", 0.5f, 0.3f);
    assertEquals(3, file.images.size());
    assertEquals(new WindowFile.Entry("root/images/scene1.png", 3, 36, 52), file.images.get(1));
    // overlaps 0.9, 0.6, 0.8, 0.7 are foreground; 0.1, 0.0, 0.2, 0.05 background; 0.3 and 0.4 neither
    assertEquals(List.of(1, 1, 2, 1), file.foreground.stream().map(WindowFile.Window::label).toList());
    assertEquals(4, file.background.size());
    assertTrue(file.background.stream().allMatch(w -> w.label() == 0 && w.overlap() == 0));
    assertEquals(new WindowFile.Window(2, 0, 0, 25, 0, 43, 20), file.background.get(3));
    assertEquals(Map.of(0, 4, 1, 3, 2, 1), file.classCounts);
  }

  @Test
  void errorsNameTheFileAndLine() throws Exception {
    assertEquals(path("empty.txt") + ": the window file is empty", error("empty.txt", "\n"));
    assertEquals(path("a.txt") + ":4: the height 'tall' is not an integer",
        error("a.txt", "# 0\nimg.png\n3\ntall\n10\n0\n"));
    assertEquals(path("b.txt") + ":1: expected '#' to start an image, got 'image'", error("b.txt", "image 0\n"));
    assertEquals(path("c.txt") + ":7: a foreground window (overlap 0.9) needs a class above 0, got 0",
        error("c.txt", "# 0\nimg.png\n3\n10\n10\n1\n0 0.9 0 0 5 5\n"));
    assertEquals(path("d.txt") + ":7: window (0, 0)-(10, 5) is not inside the 10x10 image",
        error("d.txt", "# 0\nimg.png\n3\n10\n10\n1\n1 0.9 0 0 10 5\n"));
    assertEquals(path("e.txt") + ": ends where the y2 was expected", error("e.txt", "# 0\nimg.png\n3\n10\n10\n1\n1 0.9 0 0 5\n"));
  }

  private Path path(String name) {
    return dir.resolve(name);
  }

  private String error(String name, String text) throws Exception {
    Files.writeString(path(name), text);
    return assertThrows(KaffeeException.class, () -> new WindowFile(path(name), "", 0.5f, 0.5f)).getMessage();
  }
}
