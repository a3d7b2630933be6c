package org.kaffee.io;

import java.nio.file.Files;
import java.nio.file.Path;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Test resources under engine/src/test/resources/io, as files: every module's tests run from
 * the repository's root, and a resource inside the engine's test jar would have no path.
 */
final class IoTestFiles {
  private static final Path DIR = Path.of("engine/src/test/resources/io");

  private IoTestFiles() {
  }

  static Path resource(String name) {
    Path file = DIR.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no test resource " + file);
    }
    return file;
  }

  static NetParameter net(String resourceName) {
    return ProtoFiles.readText(resource(resourceName), NetParameter.newBuilder()).build();
  }
}
