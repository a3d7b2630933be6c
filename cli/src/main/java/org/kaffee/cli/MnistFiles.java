package org.kaffee.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * What every MNIST conversion names, in the order Caffe's tools take them: the idx image and
 * label files it reads, the database it writes and that database's backend.
 */
final class MnistFiles {
  @Parameters(index = "0", paramLabel = "INPUT_IMAGE_FILE")
  Path images;

  @Parameters(index = "1", paramLabel = "INPUT_LABEL_FILE")
  Path labels;

  @Parameters(index = "2", paramLabel = "OUTPUT_DB")
  Path db;

  @Mixin
  BackendOption backend;
}
