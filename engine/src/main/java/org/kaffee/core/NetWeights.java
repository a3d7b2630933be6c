package org.kaffee.core;

import java.util.Arrays;
import java.util.List;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.BlobProto;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.NetParameter;

/** Moving a net's param blobs in and out by layer name: from a caffemodel, from another net, to a caffemodel. */
final class NetWeights {
  private NetWeights() {}

  /**
   * Copies param blobs from a trained net, matching layers by name (Caffe's
   * CopyTrainedLayersFrom). Layers absent from {@code net} are skipped; a stored blob whose shape
   * differs is an error naming the layer, the blob index and both shapes.
   */
  static void copyFrom(NetParameter trained, Net net) {
    for (LayerParameter source : trained.getLayerList()) {
      Layer target = net.layerByName(source.getName());
      if (target == null) {
        Glog.info("Ignoring source layer %s", source.getName());
        continue;
      }
      Glog.info("Copying source layer %s Type:%s #blobs=%d", source.getName(), source.getType(),
          source.getBlobsCount());
      List<Blob> targetBlobs = target.blobs();
      KaffeeException.check(targetBlobs.size() == source.getBlobsCount(),
          "incompatible number of blobs for layer %s: the weights file has %d, the net expects %d",
          source.getName(), source.getBlobsCount(), targetBlobs.size());
      for (int j = 0; j < targetBlobs.size(); j++) {
        BlobProto stored = source.getBlobs(j);
        Blob blob = targetBlobs.get(j);
        if (!blob.shapeEquals(stored)) {
          throw new KaffeeException(String.format(
              "cannot copy param %d weights from layer '%s': shape mismatch, the weights file has %s,"
                  + " the net expects %s. To learn this layer's parameters from scratch rather"
                  + " than copying from a saved net, rename the layer.",
              j, source.getName(), Blob.shapeString(Blob.protoShape(stored)), blob.shapeString()));
        }
        blob.fromProto(stored, false);
      }
    }
  }

  /** Makes {@code net}'s layers use the param memory of the same-named layers of {@code other}. */
  static void share(Net other, Net net) {
    for (int i = 0; i < other.layers().size(); i++) {
      String layerName = other.layerNames().get(i);
      Layer target = net.layerByName(layerName);
      if (target == null) {
        continue;
      }
      List<Blob> source = other.layers().get(i).blobs();
      List<Blob> mine = target.blobs();
      KaffeeException.check(source.size() == mine.size(),
          "incompatible number of blobs for layer %s", layerName);
      for (int j = 0; j < mine.size(); j++) {
        KaffeeException.check(Arrays.equals(mine.get(j).shape(), source.get(j).shape()),
            "cannot share param %d of layer '%s': shapes %s and %s differ", j,
            layerName, source.get(j).shapeString(), mine.get(j).shapeString());
        mine.get(j).shareData(source.get(j));
      }
    }
  }

  /** The net with every layer's param blobs (Caffe's ToProto), as a caffemodel stores it. */
  static NetParameter toProto(Net net, boolean writeDiff) {
    NetParameter.Builder out = NetParameter.newBuilder().setName(net.name());
    for (Layer layer : net.layers()) {
      LayerParameter.Builder lp = layer.param().toBuilder().clearBlobs();
      for (Blob blob : layer.blobs()) {
        lp.addBlobs(blob.toProto(writeDiff));
      }
      out.addLayer(lp);
    }
    return out.build();
  }
}
