package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.io.NetUpgrader;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;

/** What the two net upgrade commands share: upgrade if needed, write, log as Caffe's tools do. */
final class NetUpgradeTool {
  private NetUpgradeTool() {
  }

  /** Returns the exit code: 0, or 1 when the upgrade dropped something (logged above). */
  static int upgradeAndWrite(NetParameter net, Path in, Path out, boolean text) {
    boolean success = true;
    if (NetUpgrader.needsUpgrade(net)) {
      NetUpgrader.Result result = NetUpgrader.upgradeAsNeeded(net, in.toString());
      net = result.net();
      success = result.success();
    } else {
      Glog.error("File already in latest proto format: %s", in);
    }
    if (text) {
      ProtoFiles.writeText(out, net);
    } else {
      ProtoFiles.writeBinary(out, net);
    }
    Glog.info("Wrote upgraded NetParameter %s proto to %s", text ? "text" : "binary", out);
    if (!success) {
      Glog.error("Encountered error(s) while upgrading %s; see details above.", in);
      return 1;
    }
    return 0;
  }
}
