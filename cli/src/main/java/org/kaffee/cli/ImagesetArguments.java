package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.ImagesetConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments convert_imageset and convert_annoset share: ROOTFOLDER/ LISTFILE DB_NAME and the image flags. */
final class ImagesetArguments {
  @Parameters(index = "0", paramLabel = "ROOTFOLDER/")
  String root;

  @Parameters(index = "1", paramLabel = "LISTFILE")
  Path list;

  @Parameters(index = "2", paramLabel = "DB_NAME")
  Path db;

  @Option(names = {"--gray", "-gray"}, arity = "0..1", fallbackValue = "true",
      description = "When this option is on, treat images as grayscale ones.")
  boolean gray;

  @Option(names = {"--shuffle", "-shuffle"}, arity = "0..1", fallbackValue = "true",
      description = "Randomly shuffle the order of images and their labels.")
  boolean shuffle;

  @Mixin
  BackendOption backend;

  @Option(names = {"--resize_width", "-resize_width"}, defaultValue = "0",
      description = "Width images are resized to.")
  int resizeWidth;

  @Option(names = {"--resize_height", "-resize_height"}, defaultValue = "0",
      description = "Height images are resized to.")
  int resizeHeight;

  @Option(names = {"--check_size", "-check_size"}, arity = "0..1", fallbackValue = "true",
      description = "When this option is on, check that all the datum have the same size.")
  boolean checkSize;

  @Option(names = {"--encoded", "-encoded"}, arity = "0..1", fallbackValue = "true",
      description = "When this option is on, the encoded image will be save in datum.")
  boolean encoded;

  @Option(names = {"--encode_type", "-encode_type"}, defaultValue = "",
      description = "Optional: What type should we encode the image as ('png','jpg',...).")
  String encodeType;

  /** Fills the converter's options; a negative size means none, as Caffe's tools take max(0, size). */
  void fill(ImagesetConverter.Options o) {
    o.gray = gray;
    o.shuffle = shuffle;
    o.backend = backend.name;
    o.resizeWidth = Math.max(0, resizeWidth);
    o.resizeHeight = Math.max(0, resizeHeight);
    o.checkSize = checkSize;
    o.encoded = encoded;
    o.encodeType = encodeType;
  }
}
