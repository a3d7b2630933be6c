package org.kaffee.layers.vision;

import java.util.List;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.kernels.Im2col;
import org.kaffee.proto.Caffe.ConvolutionParameter;
import org.kaffee.proto.Caffe.LayerParameter;

/**
 * Caffe's Im2col: rearranges each image into the columns a convolution would multiply,
 * top shape {@code [..., channels * prod(kernel), out spatial...]} from convolution_param
 * (kernel, stride, pad, dilation per spatial axis, axis).
 */
public final class Im2colLayer extends Layer {
  private int channelAxis;
  private int numSpatial;
  private int[] kernel;
  private int[] stride;
  private int[] pad;
  private int[] dilation;
  private int channels;
  private int num;
  private int[] inSpatial;
  private int[] outSpatial;

  public Im2colLayer(LayerParameter param) {
    super(param, BlobCounts.of(1, 1));
  }

  @Override
  public String type() {
    return "Im2col";
  }

  @Override
  protected void layerSetUp(List<Blob> bottom, List<Blob> top) {
    ConvolutionParameter p = param.getConvolutionParam();
    Blob b = bottom.get(0);
    channelAxis = b.canonicalAxisIndex(p.getAxis());
    numSpatial = b.numAxes() - channelAxis - 1;
    check(numSpatial >= 1, "needs at least one spatial axis after axis %d, bottom is %s", channelAxis,
        b.shapeString());
    SpatialValues values = new SpatialValues(numSpatial, this::check);
    kernel = values.read(p.hasKernelH() || p.hasKernelW(), p.getKernelH(), p.getKernelW(),
        p.getKernelSizeList(), -1, "kernel_size");
    stride = values.stride(p);
    pad = values.pad(p);
    dilation = values.dilation(p);
    for (int i = 0; i < numSpatial; i++) {
      check(kernel[i] > 0, "filter dimensions must be nonzero");
      check(stride[i] > 0, "stride dimensions must be nonzero");
    }
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob b = bottom.get(0);
    check(b.numAxes() == channelAxis + numSpatial + 1, "bottom num_axes may not change, got %s",
        b.shapeString());
    channels = b.shape(channelAxis);
    num = b.count(0, channelAxis);
    inSpatial = new int[numSpatial];
    outSpatial = new int[numSpatial];
    int[] shape = b.shape();
    int kernelSize = 1;
    for (int i = 0; i < numSpatial; i++) {
      inSpatial[i] = b.shape(channelAxis + 1 + i);
      int extent = dilation[i] * (kernel[i] - 1) + 1;
      outSpatial[i] = (inSpatial[i] + 2 * pad[i] - extent) / stride[i] + 1;
      check(inSpatial[i] + 2 * pad[i] >= extent, "kernel larger than the padded input %s", b.shapeString());
      shape[channelAxis + 1 + i] = outSpatial[i];
      kernelSize *= kernel[i];
    }
    shape[channelAxis] = channels * kernelSize;
    top.get(0).reshape(shape);
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    run(true, bottom.get(0).dataView(), top.get(0).dataView(), bottom.get(0), top.get(0));
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    if (propagateDown[0]) {
      run(false, bottom.get(0).diffView(), top.get(0).diffView(), bottom.get(0), top.get(0));
    }
  }

  private void run(boolean toCol, DataView im, DataView col, Blob b, Blob t) {
    int imDim = b.count(channelAxis);
    int colDim = t.count(channelAxis);
    for (int n = 0; n < num; n++) {
      if (numSpatial == 2) {
        if (toCol) {
          Im2col.im2col2d(im, n * imDim, channels, inSpatial[0], inSpatial[1], kernel[0], kernel[1],
              pad[0], pad[1], stride[0], stride[1], dilation[0], dilation[1], col, n * colDim);
        } else {
          Im2col.col2im2d(col, n * colDim, channels, inSpatial[0], inSpatial[1], kernel[0], kernel[1],
              pad[0], pad[1], stride[0], stride[1], dilation[0], dilation[1], im, n * imDim);
        }
      } else {
        Im2col.nd(toCol, im, n * imDim, channels, inSpatial, outSpatial, kernel, pad, stride, dilation,
            col, n * colDim);
      }
    }
  }
}
