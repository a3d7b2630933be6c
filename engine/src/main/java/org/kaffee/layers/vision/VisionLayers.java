package org.kaffee.layers.vision;

import java.util.Map;
import java.util.function.Function;
import org.kaffee.core.Layer;
import org.kaffee.core.LayerProvider;
import org.kaffee.proto.Caffe.LayerParameter;

/** Registers the vision layer family with the LayerRegistry. */
public final class VisionLayers implements LayerProvider {
  @Override
  public Map<String, Function<LayerParameter, Layer>> layers() {
    return Map.ofEntries(
        Map.entry("Convolution", ConvolutionLayer::new),
        Map.entry("Deconvolution", DeconvolutionLayer::new),
        Map.entry("Pooling", PoolingLayer::new),
        Map.entry("LRN", LRNLayer::new),
        Map.entry("Im2col", Im2colLayer::new),
        Map.entry("SPP", SPPLayer::new),
        Map.entry("Crop", CropLayer::new),
        // fork layers (docs/layers.md)
        Map.entry("DepthwiseConvolution", DepthwiseConvolutionLayer::new),
        Map.entry("ConvolutionDepthwise", DepthwiseConvolutionLayer::new),
        Map.entry("Interp", InterpLayer::new),
        Map.entry("ROIPooling", ROIPoolingLayer::new),
        Map.entry("Upsample", UpsampleLayer::new)
    );
  }
}
