package org.kaffee.cli;

import org.kaffee.data.ImagesetConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kaffee convert_imageset}: a list of images into an LMDB/LevelDB of Datums. */
@Command(name = "convert_imageset", mixinStandardHelpOptions = true,
    description = "Convert a set of images (ROOTFOLDER/ LISTFILE, lines 'subfolder/file.jpg label') to a "
        + "leveldb/lmdb for use as input to Caffe.")
final class ConvertImagesetCommand implements Runnable {
  @Mixin
  ImagesetArguments args;

  @Override
  public void run() {
    ImagesetConverter.Options o = new ImagesetConverter.Options();
    args.fill(o);
    ImagesetConverter.convert(args.root, args.list, args.db, o);
  }
}
