package org.kaffee.io;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.kaffee.proto.Caffe.NetParameter;

/** Test resources under src/test/resources/io. */
final class IoTestFiles {
  private IoTestFiles() {
  }

  static Path resource(String name) {
    URL url = IoTestFiles.class.getResource("/io/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource io/" + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static NetParameter net(String resourceName) {
    return ProtoFiles.readText(resource(resourceName), NetParameter.newBuilder()).build();
  }
}
