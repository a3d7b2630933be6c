package org.kaffee.visual;

import org.kaffee.core.Blob;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;

/**
 * Finds the layer a user names on the command line or a page: by its name, or by the name of
 * a blob it produces (the later layer wins, as an in-place layer rewrites its bottom).
 */
public final class LayerLookup {
  private LayerLookup() {
  }

  /** The index of the layer called {@code name}, else of the last layer whose top it is. */
  public static int producing(Net net, String name) {
    for (int i = net.layers().size() - 1; i >= 0; i--) {
      if (net.layerNames().get(i).equals(name)) {
        return i;
      }
    }
    for (int i = net.layers().size() - 1; i >= 0; i--) {
      for (int id : net.topIds(i)) {
        if (net.blobNames().get(id).equals(name)) {
          return i;
        }
      }
    }
    throw new KaffeeException("the net has no layer or blob named '" + name + "' (layers: "
        + String.join(", ", net.layerNames()) + ")");
  }

  /** The first top of layer {@code index}. */
  public static Blob firstTop(Net net, int index) {
    return net.topVecs().get(index).get(0);
  }

  public static String firstTopName(Net net, int index) {
    return net.blobNames().get(net.topIds(index).get(0));
  }
}
