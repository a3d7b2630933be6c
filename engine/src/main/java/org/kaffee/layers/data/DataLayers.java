package org.kaffee.layers.data;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the data layer family with the LayerRegistry. */
public final class DataLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("AnnotatedData", AnnotatedDataLayer::new),
        Map.entry("Data", DataLayer::new),
        Map.entry("DummyData", DummyDataLayer::new),
        Map.entry("HDF5Data", HDF5DataLayer::new),
        Map.entry("HDF5Output", HDF5OutputLayer::new),
        Map.entry("ImageData", ImageDataLayer::new),
        Map.entry("MemoryData", MemoryDataLayer::new),
        Map.entry("WindowData", WindowDataLayer::new)
    );
  }
}
