package org.kaffee.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kaffee upgrade_net_proto_binary IN OUT}: Caffe's upgrade_net_proto_binary tool. */
@Command(name = "upgrade_net_proto_binary", mixinStandardHelpOptions = true,
    description = "Upgrade a caffemodel (binary NetParameter) in a legacy format to the "
        + "current format.")
final class UpgradeNetBinaryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "caffemodel to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Upgraded caffemodel to write.")
  Path out;

  @Override
  public Integer call() {
    NetParameter net = ProtoFiles.readBinary(in, NetParameter.newBuilder(),
        "caffemodel (binary NetParameter)").build();
    return NetUpgradeTool.upgradeAndWrite(net, in, out, false);
  }
}
