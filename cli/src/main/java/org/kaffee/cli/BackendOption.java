package org.kaffee.cli;

import picocli.CommandLine.Option;

/** The Datum database format a data tool reads or writes. */
final class BackendOption {
  @Option(names = {"--backend", "-backend"}, defaultValue = "lmdb",
      description = "The database backend: lmdb or leveldb (default ${DEFAULT-VALUE}).")
  String name;
}
