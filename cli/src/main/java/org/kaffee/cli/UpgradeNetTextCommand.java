package org.kaffee.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.NetParameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kaffee upgrade_net_proto_text IN OUT}: Caffe's upgrade_net_proto_text tool. */
@Command(name = "upgrade_net_proto_text", mixinStandardHelpOptions = true,
    description = "Upgrade a net prototxt in a legacy format (V0/V1 layers, input fields, "
        + "old BatchNorm params) to the current format.")
final class UpgradeNetTextCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "IN", description = "Net prototxt to read.")
  Path in;

  @Parameters(index = "1", paramLabel = "OUT", description = "Upgraded prototxt to write.")
  Path out;

  @Override
  public Integer call() {
    NetParameter net = ProtoFiles.readText(in, NetParameter.newBuilder()).build();
    return NetUpgradeTool.upgradeAndWrite(net, in, out, true);
  }
}
