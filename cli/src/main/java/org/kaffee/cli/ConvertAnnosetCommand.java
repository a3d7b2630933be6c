package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.data.AnnosetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee convert_annoset}: images and their boxes into an LMDB/LevelDB of AnnotatedDatums (SSD). */
@Command(name = "convert_annoset", mixinStandardHelpOptions = true,
    description = "Convert a set of images and annotations (ROOTFOLDER/ LISTFILE, lines 'image annotation') to "
        + "the leveldb/lmdb format used as input for Caffe.")
final class ConvertAnnosetCommand implements Runnable {
  @Mixin
  ImagesetArguments args;

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

  @Override
  public void run() {
    AnnosetConverter.Options o = new AnnosetConverter.Options();
    args.fill(o.images);
    o.annoType = annoType;
    o.labelType = labelType;
    o.labelMapFile = labelMapFile;
    o.checkLabel = checkLabel;
    AnnosetConverter.convert(args.root, args.list, args.db, o);
  }
}
