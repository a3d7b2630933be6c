package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.ImagesetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee convert_imageset}: a list of images into an LMDB/LevelDB of Datums. */
@Command(name = "convert_imageset", mixinStandardHelpOptions = true,
    description = "Convert a set of images (ROOTFOLDER/ LISTFILE, lines 'subfolder/file.jpg label') to a "
        + "leveldb/lmdb for use as input to Caffe.")
final class ConvertImagesetCommand implements Runnable {
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

  @Override
  public void run() {
    ImagesetConverter.Options o = new ImagesetConverter.Options();
    o.gray = gray;
    o.shuffle = shuffle;
    o.backend = backend.name;
    o.resizeWidth = resizeWidth;
    o.resizeHeight = resizeHeight;
    o.checkSize = checkSize;
    o.encoded = encoded;
    o.encodeType = encodeType;
    ImagesetConverter.convert(root, list, db, o);
  }
}
