package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.AnnosetConverter;
import org.kaffee.data.ImagesetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kaffee convert_annoset}: images and their boxes into an LMDB/LevelDB of AnnotatedDatums (SSD). */
@Command(name = "convert_annoset", mixinStandardHelpOptions = true,
    description = "Convert a set of images and annotations (ROOTFOLDER/ LISTFILE, lines 'image annotation') to "
        + "the leveldb/lmdb format used as input for Caffe.")
final class ConvertAnnosetCommand implements Runnable {
  @Parameters(index = "0", paramLabel = "ROOTFOLDER/")
  String root;

  @Parameters(index = "1", paramLabel = "LISTFILE")
  Path list;

  @Parameters(index = "2", paramLabel = "DB_NAME")
  Path db;

  @Option(names = {"--anno_type", "-anno_type"}, defaultValue = "classification",
      description = "The type of annotation {classification, detection}.")
  String annoType;

  @Option(names = {"--label_type", "-label_type"}, defaultValue = "xml",
      description = "The type of annotation file format {xml, txt}.")
  String labelType;

  @Option(names = {"--label_map_file", "-label_map_file"},
      description = "A file with LabelMap protobuf message.")
  Path labelMapFile;

  @Option(names = {"--check_label", "-check_label"}, arity = "0..1", fallbackValue = "true",
      description = "When this option is on, check that there is no duplicated name/label.")
  boolean checkLabel;

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
    AnnosetConverter.Options o = new AnnosetConverter.Options();
    ImagesetConverter.Options io = o.images;
    io.gray = gray;
    io.shuffle = shuffle;
    io.backend = backend.name;
    io.resizeWidth = Math.max(0, resizeWidth);
    io.resizeHeight = Math.max(0, resizeHeight);
    io.checkSize = checkSize;
    io.encoded = encoded;
    io.encodeType = encodeType;
    o.annoType = annoType;
    o.labelType = labelType;
    o.labelMapFile = labelMapFile;
    o.checkLabel = checkLabel;
    AnnosetConverter.convert(root, list, db, o);
  }
}
