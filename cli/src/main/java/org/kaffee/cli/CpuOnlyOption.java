package org.kaffee.cli;

import org.kaffee.log.Glog;
import picocli.CommandLine.Option;

/** Caffe's {@code --gpu}, accepted so Caffe command lines run: Kaffee computes on the CPU. */
final class CpuOnlyOption {
  @Option(names = {"--gpu", "-gpu"}, description = "Ignored: Kaffee runs on the CPU.")
  String gpu = "";

  /** Warns when {@code --gpu} was given. */
  void warnIfGiven() {
    if (!gpu.isEmpty()) {
      Glog.warn("Kaffee runs on the CPU only; ignoring --gpu=%s", gpu);
    }
  }

  /** {@link #warnIfGiven}, then Caffe's "Use CPU." line. */
  void useCpu() {
    warnIfGiven();
    Glog.info("Use CPU.");
  }
}
