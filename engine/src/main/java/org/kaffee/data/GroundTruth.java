package org.kaffee.data;

import java.util.ArrayList;
import java.util.List;
import org.kaffee.proto.Caffe.AnnotatedDatum;
import org.kaffee.proto.Caffe.Annotation;
import org.kaffee.proto.Caffe.AnnotationGroup;

/**
 * One annotated object: its class label (SSD's group_label), its instance number within that
 * class and its box. A list of them keeps the AnnotatedDatum's order (group by group), which is
 * the order of the rows of AnnotatedData's label blob.
 */
public record GroundTruth(int label, int instance, NormBox box) {
  /** The boxes of an AnnotatedDatum, group by group. */
  public static List<GroundTruth> of(AnnotatedDatum datum) {
    List<GroundTruth> out = new ArrayList<>();
    for (AnnotationGroup g : datum.getAnnotationGroupList()) {
      for (Annotation a : g.getAnnotationList()) {
        out.add(new GroundTruth(g.getGroupLabel(), a.getInstanceId(), NormBox.of(a.getBbox())));
      }
    }
    return out;
  }

  /**
   * Boxes in the order a file lists them, grouped as the fork's readers group them: one group per
   * label in order of first appearance, instances numbered from 0 within each group.
   */
  public static List<AnnotationGroup> group(List<GroundTruth> listed) {
    List<AnnotationGroup.Builder> groups = new ArrayList<>();
    for (GroundTruth t : listed) {
      AnnotationGroup.Builder g = groups.stream().filter(b -> b.getGroupLabel() == t.label).findFirst().orElse(null);
      if (g == null) {
        g = AnnotationGroup.newBuilder().setGroupLabel(t.label);
        groups.add(g);
      }
      g.addAnnotation(Annotation.newBuilder().setInstanceId(g.getAnnotationCount()).setBbox(t.box.toProto()));
    }
    return groups.stream().map(AnnotationGroup.Builder::build).toList();
  }
}
