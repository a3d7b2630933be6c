package org.kaffee.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  @Test
  void aRunOfOneCommandRegistersOnlyThatCommand() {
    CommandLine all = Main.commandLine();
    assertEquals(22, all.getSubcommands().size());
    for (String name : all.getSubcommands().keySet()) {
      assertEquals(Set.of(name), Main.commandLine(name).getSubcommands().keySet(), name);
    }
  }

  @Test
  void anythingElseRegistersEveryCommandForTheUsageAndItsErrors() {
    assertEquals(22, Main.commandLine("--verbose").getSubcommands().size());
    assertEquals(22, Main.commandLine("trian").getSubcommands().size());
    assertTrue(Main.commandLine("").getSubcommands().containsKey("compute_image_mean"));
  }

  @Test
  void anUnknownCommandIsOneLineFromTheRoot(@TempDir Path dir) {
    try (CommandOutput out = new CommandOutput(dir)) {
      assertEquals(1, out.run("trian", "--solver=x"));
      assertTrue(out.err().startsWith("kaffee: error: Unmatched argument"), out.err());
      assertEquals(1, out.err().strip().lines().count(), out.err());
    }
  }
}
