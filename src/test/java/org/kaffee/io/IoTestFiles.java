package org.kaffee.io;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;

/** Test resources under src/test/resources/io and a log capture. */
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

  /** Runs {@code body} with the glog output captured; returns the result and the log text. */
  static <T> Logged<T> logged(Supplier<T> body) {
    PrintStream old = Glog.output();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Glog.setOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      T value = body.get();
      return new Logged<>(value, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      Glog.setOutput(old);
    }
  }

  record Logged<T>(T value, String log) {
  }
}
