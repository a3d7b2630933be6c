package org.kaffee.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;

class IdxFileTest {
  @TempDir
  Path tmp;

  @Test
  void aHeaderWhoseByteCountOverflowsALongIsABadHeader() throws Exception {
    // count x rows x cols = 50595117 x 117440512 x 2073 exceeds 2^63: it wrapped to a negative size
    Path file = tmp.resolve("images-idx3-ubyte");
    Files.write(file, ByteBuffer.allocate(18).putInt(2051).putInt(50595117).putInt(117440512)
        .putInt(2073).array());
    KaffeeException e = assertThrows(KaffeeException.class, () -> IdxFile.readImages(file));
    assertTrue(e.getMessage().startsWith(file + ": bad header (50595117 items of 117440512x2073)"),
        e.getMessage());
  }
}
