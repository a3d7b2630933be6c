package org.kaffee.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.LabelMap;
import org.kaffee.proto.Caffe.LabelMapItem;

/**
 * SSD's convert_annoset: images with their boxes into a database of AnnotatedDatums, keyed as
 * convert_imageset keys Datums. For {@code detection} the list holds {@code image annotation}
 * pairs (both under the root folder) and the boxes come from VOC XML ({@code label_type xml},
 * names looked up in the label map) or a box list ({@code txt}); an annotation file that does not
 * exist gives an image without boxes, as in the fork. For {@code classification} the list is
 * convert_imageset's {@code path label}.
 */
public final class AnnosetConverter {
  /** The tool's flags beyond convert_imageset's. */
  public static final class Options {
    public final ImagesetConverter.Options images = new ImagesetConverter.Options();
    public String annoType = "classification";
    public String labelType = "xml";
    public Path labelMapFile;
    public boolean checkLabel;
  }

  private AnnosetConverter() {
  }

  public static int convert(String root, Path listFile, Path dbPath, Options o) {
    ImagesetConverter.Options io = o.images;
    boolean color = !io.gray;
    if (o.annoType.equals("classification")) {
      return ImagesetConverter.write(root, ImageList.read(listFile), ImageList.Entry::path, listFile, dbPath, io,
          (entry, file, encoding) -> {
            Image img = ImagesetConverter.readImage(file, color);
            return record(AnnotatedDatum.newBuilder()
                .setDatum(datum(img, file, entry.label(), io, color, encoding)).build());
          });
    }
    KaffeeException.check(o.annoType.equals("detection"), "--anno_type=%s: expected classification or detection",
        o.annoType);
    KaffeeException.check(o.labelType.equals("xml") || o.labelType.equals("txt"),
        "--label_type=%s: expected xml or txt", o.labelType);
    Map<String, Integer> names = o.labelType.equals("xml") ? nameToLabel(o.labelMapFile, o.checkLabel) : Map.of();
    List<ImageList.Pair> lines = ImageList.readPairs(listFile, "image annotation");
    return ImagesetConverter.write(root, lines, ImageList.Pair::path, listFile, dbPath, io,
        (line, file, encoding) -> {
          Image img = ImagesetConverter.readImage(file, color);
          AnnotatedDatum.Builder b = AnnotatedDatum.newBuilder()
              .setDatum(datum(img, file, -1, io, color, encoding)).setType(AnnotatedDatum.AnnotationType.BBOX);
          Path anno = Path.of(root + line.value());
          if (Files.exists(anno)) {
            List<GroundTruth> boxes = o.labelType.equals("xml")
                ? AnnotationFiles.readXml(anno, names, img.height, img.width)
                : AnnotationFiles.readTxt(anno, img.height, img.width);
            b.addAllAnnotationGroup(GroundTruth.group(boxes));
          } else {
            Glog.warn("%s:%d: annotation %s does not exist: the image has no boxes", listFile, line.line(), anno);
          }
          return record(b.build());
        });
  }

  /** The image as the fork stores it: its shape recorded even when the bytes are encoded. */
  private static Datum datum(Image img, Path file, int label, ImagesetConverter.Options o, boolean color,
      String encoding) {
    Datum d = ImagesetConverter.toDatum(img, file, label, o.resizeHeight, o.resizeWidth, color, encoding);
    if (!d.getEncoded()) {
      return d;
    }
    boolean resized = o.resizeHeight > 0 && o.resizeWidth > 0;
    return d.toBuilder().setChannels(img.channels).setHeight(resized ? o.resizeHeight : img.height)
        .setWidth(resized ? o.resizeWidth : img.width).build();
  }

  private static ImagesetConverter.Record record(AnnotatedDatum a) {
    return new ImagesetConverter.Record(a.getDatum(), a.toByteArray());
  }

  /** A LabelMap prototxt as name to label; with {@code strict} a name given twice is an error. */
  public static Map<String, Integer> nameToLabel(Path labelMapFile, boolean strict) {
    KaffeeException.check(labelMapFile != null, "--label_map_file is required for --label_type=xml");
    LabelMap map = ProtoFiles.readText(labelMapFile, LabelMap.newBuilder()).build();
    Map<String, Integer> out = new HashMap<>();
    for (LabelMapItem item : map.getItemList()) {
      Integer before = out.put(item.getName(), item.getLabel());
      KaffeeException.check(!strict || before == null, "%s: the name '%s' is given more than once", labelMapFile,
          item.getName());
    }
    return out;
  }
}
