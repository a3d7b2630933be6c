package org.kaffee.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kaffee.proto.Caffe;

/**
 * Kaffee's caffe.proto against the descriptor of real Caffe's, as recorded in the Python module
 * protoc generated for it (src/test/resources/io/caffe_pb2.py, copied from the conformance
 * tools): every message, field (name, number, label, type, type name, default, packed) and
 * enum value Caffe has must exist identically in Kaffee. Kaffee may have more.
 */
class CaffeSchemaTest {
  /**
   * The recorded descriptor is of the conformance tools' caffe_min.proto, which declares
   * V1LayerParameter.type as int32; real Caffe (and Kaffee) declare it {@code LayerType}.
   */
  private static final java.util.Set<String> WIRE_COMPATIBLE_ENUMS =
      java.util.Set.of("V1LayerParameter.type");

  /** The bytes of the first {@code b'...'} literal after {@code marker}, Python escapes undone. */
  static byte[] pythonBytesLiteral(String source, String marker) {
    int at = source.indexOf(marker);
    if (at < 0) {
      throw new IllegalArgumentException("no " + marker + " in the Python source");
    }
    int i = at + marker.length();
    while (source.charAt(i) != 'b' && source.charAt(i) != 'B') {
      i++;
    }
    char quote = source.charAt(i + 1);
    if (quote != '\'' && quote != '"') {
      throw new IllegalArgumentException("not a bytes literal at offset " + i);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    i += 2;
    while (true) {
      char c = source.charAt(i++);
      if (c == quote) {
        return out.toByteArray();
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      char e = source.charAt(i++);
      switch (e) {
        case '\n' -> {
          // line continuation
        }
        case '\\', '\'', '"' -> out.write(e);
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 't' -> out.write('\t');
        case 'a' -> out.write(7);
        case 'b' -> out.write('\b');
        case 'f' -> out.write('\f');
        case 'v' -> out.write(11);
        case 'x' -> {
          out.write(Integer.parseInt(source.substring(i, i + 2), 16));
          i += 2;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            int value = e - '0';
            for (int k = 0; k < 2 && source.charAt(i) >= '0' && source.charAt(i) <= '7'; k++) {
              value = value * 8 + (source.charAt(i++) - '0');
            }
            out.write(value & 0xff);
          } else {
            out.write('\\');
            out.write(e);
          }
        }
      }
    }
  }

  static FileDescriptorProto caffeDescriptor() throws InvalidProtocolBufferException {
    String py = ProtoFiles.readString(IoTestFiles.resource("caffe_pb2.py"));
    String marker = py.contains("AddSerializedFile(") ? "AddSerializedFile(" : "serialized_pb=";
    return FileDescriptorProto.parseFrom(pythonBytesLiteral(py, marker));
  }

  private static void collect(String prefix, List<DescriptorProto> messages,
      Map<String, DescriptorProto> out, Map<String, EnumDescriptorProto> enums) {
    for (DescriptorProto m : messages) {
      String name = prefix + m.getName();
      out.put(name, m);
      for (EnumDescriptorProto e : m.getEnumTypeList()) {
        enums.put(name + "." + e.getName(), e);
      }
      collect(name + ".", m.getNestedTypeList(), out, enums);
    }
  }

  /** Differences between Caffe's schema and Kaffee's, one line each. */
  static List<String> differences(FileDescriptorProto caffe, FileDescriptorProto kaffee) {
    Map<String, DescriptorProto> cm = new LinkedHashMap<>();
    Map<String, EnumDescriptorProto> ce = new LinkedHashMap<>();
    Map<String, DescriptorProto> km = new LinkedHashMap<>();
    Map<String, EnumDescriptorProto> ke = new LinkedHashMap<>();
    collect("", caffe.getMessageTypeList(), cm, ce);
    collect("", kaffee.getMessageTypeList(), km, ke);
    for (EnumDescriptorProto e : caffe.getEnumTypeList()) {
      ce.put(e.getName(), e);
    }
    for (EnumDescriptorProto e : kaffee.getEnumTypeList()) {
      ke.put(e.getName(), e);
    }
    List<String> diffs = new ArrayList<>();
    if (!caffe.getPackage().equals(kaffee.getPackage())) {
      diffs.add("package " + caffe.getPackage() + " vs " + kaffee.getPackage());
    }
    for (var entry : cm.entrySet()) {
      DescriptorProto k = km.get(entry.getKey());
      if (k == null) {
        diffs.add("message " + entry.getKey() + " missing in Kaffee");
        continue;
      }
      for (FieldDescriptorProto cf : entry.getValue().getFieldList()) {
        String where = entry.getKey() + "." + cf.getName();
        FieldDescriptorProto kf = k.getFieldList().stream()
            .filter(f -> f.getName().equals(cf.getName())).findFirst().orElse(null);
        if (kf == null) {
          diffs.add(where + " (= " + cf.getNumber() + ") missing in Kaffee");
          continue;
        }
        compare(diffs, where, "number", cf.getNumber(), kf.getNumber());
        compare(diffs, where, "label", cf.getLabel(), kf.getLabel());
        if (cf.getType() == FieldDescriptorProto.Type.TYPE_INT32
            && kf.getType() == FieldDescriptorProto.Type.TYPE_ENUM
            && WIRE_COMPATIBLE_ENUMS.contains(where)) {
          // caffe_min.proto declares this enum as a plain int32: same varint on the wire.
        } else {
          compare(diffs, where, "type", cf.getType(), kf.getType());
          compare(diffs, where, "type_name", cf.getTypeName(), kf.getTypeName());
        }
        compare(diffs, where, "default", cf.hasDefaultValue() ? cf.getDefaultValue() : null,
            kf.hasDefaultValue() ? kf.getDefaultValue() : null);
        compare(diffs, where, "packed", cf.getOptions().getPacked(), kf.getOptions().getPacked());
        compare(diffs, where, "in a oneof", cf.hasOneofIndex(), kf.hasOneofIndex());
      }
    }
    for (var entry : ce.entrySet()) {
      EnumDescriptorProto k = ke.get(entry.getKey());
      if (k == null) {
        diffs.add("enum " + entry.getKey() + " missing in Kaffee");
        continue;
      }
      for (EnumValueDescriptorProto v : entry.getValue().getValueList()) {
        EnumValueDescriptorProto kv = k.getValueList().stream()
            .filter(x -> x.getName().equals(v.getName())).findFirst().orElse(null);
        if (kv == null) {
          diffs.add("enum value " + entry.getKey() + "." + v.getName() + " missing in Kaffee");
        } else {
          compare(diffs, entry.getKey() + "." + v.getName(), "number", v.getNumber(),
              kv.getNumber());
        }
      }
    }
    return diffs;
  }

  private static void compare(List<String> diffs, String where, String what, Object caffe,
      Object kaffee) {
    if (!java.util.Objects.equals(caffe, kaffee)) {
      diffs.add(where + ": " + what + " is " + caffe + " in Caffe, " + kaffee + " in Kaffee");
    }
  }

  @Test
  void everyFieldOfBvlcMasterCaffeProtoExistsIdenticallyInKaffee() throws Exception {
    // The full schema (BVLC master, swish_param = 147, clip_param = 148), compiled by protoc.
    var set = com.google.protobuf.DescriptorProtos.FileDescriptorSet.parseFrom(
        java.nio.file.Files.readAllBytes(IoTestFiles.resource("bvlc_caffe_proto.pb")));
    FileDescriptorProto bvlc = set.getFile(0);
    assertTrue(bvlc.getMessageTypeCount() > 60, "messages: " + bvlc.getMessageTypeCount());
    List<String> diffs = differences(bvlc, Caffe.getDescriptor().toProto());
    assertEquals(List.of(), diffs, "caffe.proto differences:\n" + String.join("\n", diffs));
  }

  @Test
  void kaffeeExtrasAreOnlyContrastiveAccuracy() {
    FileDescriptorProto kaffee = Caffe.getDescriptor().toProto();
    FieldDescriptorProto extra = kaffee.getMessageTypeList().stream()
        .filter(m -> m.getName().equals("LayerParameter")).findFirst().orElseThrow()
        .getFieldList().stream().filter(f -> f.getName().equals("contrastive_accuracy_param"))
        .findFirst().orElseThrow();
    assertEquals(149, extra.getNumber());
    assertEquals(".caffe.ContrastiveAccuracyParameter", extra.getTypeName());
  }

  @Test
  void pythonEscapesAreUndone() {
    byte[] b = pythonBytesLiteral("x = f(b'A\\x41\\101\\n\\t\\\\\\'\\\"\\0z')", "f(");
    assertEquals("AAA\n\t\\'\"\0z", new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  @Test
  void differencesAreFound() {
    // The checker itself must see a renumbered field and a missing message.
    FileDescriptorProto kaffee = Caffe.getDescriptor().toProto();
    FileDescriptorProto.Builder altered = kaffee.toBuilder();
    DescriptorProto.Builder blobShape = altered.getMessageTypeBuilderList().stream()
        .filter(m -> m.getName().equals("BlobShape")).findFirst().orElseThrow();
    blobShape.getFieldBuilder(0).setNumber(9);
    altered.addMessageTypeBuilder().setName("NotInKaffee");
    List<String> diffs = differences(altered.build(), kaffee);
    assertEquals(List.of("BlobShape.dim: number is 9 in Caffe, 1 in Kaffee",
        "message NotInKaffee missing in Kaffee"), diffs);
  }

  @Test
  void everyCaffeMessageFieldAndEnumValueExistsIdenticallyInKaffee() throws Exception {
    FileDescriptorProto caffe = caffeDescriptor();
    assertFalse(caffe.getMessageTypeList().isEmpty());
    assertTrue(caffe.getMessageTypeList().stream().anyMatch(m -> m.getName().equals("BlobProto")));
    List<String> diffs = differences(caffe, Caffe.getDescriptor().toProto());
    assertEquals(List.of(), diffs, "caffe.proto differences:\n" + String.join("\n", diffs));
  }
}
