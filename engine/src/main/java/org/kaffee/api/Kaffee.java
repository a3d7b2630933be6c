package org.kaffee.api;

import java.nio.file.Path;
import org.kaffee.io.NetFiles;
import org.kaffee.proto.Caffe.NetParameter;

/**
 * Where the public API starts: loads a deploy net with its trained weights.
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

  /** A deploy prototxt (any Caffe format version) with a caffemodel's weights, layers matched by name. */
  public static Network load(Path deploy, Path weights) {
    Network network = load(deploy);
    network.core().copyTrainedLayersFrom(NetFiles.readNetBinary(weights));
    return network;
  }

  /** A deploy prototxt with the weights its fillers give (for shapes and timing). */
  public static Network load(Path deploy) {
    NetParameter definition = NetFiles.readNetText(deploy);
    return Network.build(definition);
  }
}
