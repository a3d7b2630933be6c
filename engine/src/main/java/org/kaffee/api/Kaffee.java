package org.kaffee.api;

import java.nio.file.Path;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Where the public API starts: the one way to open a net ({@link NetLoader}).
 *
 * <pre>{@code
 * Network net = Kaffee.load(Path.of("deploy.prototxt"), Path.of("lenet.caffemodel"));
 * net.setInput(pixels);          // or a Classifier for images
 * net.forward();
 * float[] prob = net.blob("prob");
 * }</pre>
 */
public final class Kaffee {
  private Kaffee() {
  }

  /** A net prototxt (any Caffe format version), to be configured and loaded. */
  public static NetLoader open(Path model) {
    return new NetLoader(NetFiles.readNetText(model));
  }

  /** A net definition already in memory (a NetSpec's, a solver's). */
  public static NetLoader open(NetParameter definition) {
    return new NetLoader(definition);
  }

  /** A deploy prototxt in the TEST phase with a caffemodel's weights (binary or HDF5), layers matched by name. */
  public static Network load(Path deploy, Path weights) {
    return open(deploy).weights(weights).load();
  }

  /** A deploy prototxt with the weights its fillers give (for shapes and timing). */
  public static Network load(Path deploy) {
    return open(deploy).load();
  }
}
