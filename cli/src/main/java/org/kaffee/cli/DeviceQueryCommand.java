package org.kaffee.cli;

import java.util.Map;
import java.util.TreeMap;
import org.kaffee.log.Glog;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kaffee device_query}: the CPU backend ND4J computes with (Kaffee has no GPU mode). */
@Command(name = "device_query", mixinStandardHelpOptions = true,
    description = "Show the CPU and BLAS/oneDNN backend Kaffee computes with.")
final class DeviceQueryCommand implements Runnable {
  @Mixin
  CpuOnlyOption cpu;

  @Override
  public void run() {
    cpu.warnIfGiven();
    Map<Object, Object> info = new TreeMap<>(Nd4j.getExecutioner().getEnvironmentInformation());
    Glog.info("Querying device: CPU");
    Glog.info("Backend: %s", Nd4j.getBackend().getClass().getSimpleName());
    Glog.info("Processors available to the JVM: %d", Runtime.getRuntime().availableProcessors());
    Glog.info("OpenMP threads: %s", info.getOrDefault("omp.threads", "?"));
    Glog.info("BLAS: %s, %s threads", info.getOrDefault("blas.vendor", "?"),
        info.getOrDefault("blas.threads", "?"));
    Glog.info("oneDNN: %s", Nd4j.getEnvironment().helpersAllowed() ? "enabled" : "disabled");
    Glog.info("Memory available: %s bytes", info.getOrDefault("memory.available", "?"));
    Glog.info("Java: %s %s", System.getProperty("java.vm.name"), System.getProperty("java.version"));
  }
}
