package org.kaffee.kernels;

import org.kaffee.core.DataView;

/**
 * Caffe's im2col/col2im for one image: the column buffer has one row per (channel,
 * kernel offset) and one column per output position, so a convolution becomes one gemm.
 * Positions falling into the zero padding read as 0 (im2col) and are dropped (col2im).
 */
public final class Im2col {
  private Im2col() {
  }

  /** 2-D im2col of the image at {@code imOff} into the buffer at {@code colOff}. */
  public static void im2col2d(DataView im, int imOff, int channels, int height, int width,
      int kh, int kw, int ph, int pw, int sh, int sw, int dh, int dw, DataView col, int colOff) {
    int oh = (height + 2 * ph - (dh * (kh - 1) + 1)) / sh + 1;
    int ow = (width + 2 * pw - (dw * (kw - 1) + 1)) / sw + 1;
    int c = colOff;
    for (int ch = 0; ch < channels; ch++) {
      int chOff = imOff + ch * height * width;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
          int row = ki * dh - ph;
          for (int y = 0; y < oh; y++, row += sh) {
            if (row < 0 || row >= height) {
              for (int x = 0; x < ow; x++) {
                col.set(c++, 0);
              }
              continue;
            }
            int rowOff = chOff + row * width;
            int colX = kj * dw - pw;
            for (int x = 0; x < ow; x++, colX += sw) {
              col.set(c++, colX >= 0 && colX < width ? im.get(rowOff + colX) : 0);
            }
          }
        }
      }
    }
  }

  /** 2-D col2im: the image at {@code imOff} is OVERWRITTEN with the sum of the columns. */
  public static void col2im2d(DataView col, int colOff, int channels, int height, int width,
      int kh, int kw, int ph, int pw, int sh, int sw, int dh, int dw, DataView im, int imOff) {
    int oh = (height + 2 * ph - (dh * (kh - 1) + 1)) / sh + 1;
    int ow = (width + 2 * pw - (dw * (kw - 1) + 1)) / sw + 1;
    int n = channels * height * width;
    for (int i = 0; i < n; i++) {
      im.set(imOff + i, 0);
    }
    int c = colOff;
    for (int ch = 0; ch < channels; ch++) {
      int chOff = imOff + ch * height * width;
      for (int ki = 0; ki < kh; ki++) {
        for (int kj = 0; kj < kw; kj++) {
          int row = ki * dh - ph;
          for (int y = 0; y < oh; y++, row += sh) {
            if (row < 0 || row >= height) {
              c += ow;
              continue;
            }
            int rowOff = chOff + row * width;
            int colX = kj * dw - pw;
            for (int x = 0; x < ow; x++, colX += sw, c++) {
              if (colX >= 0 && colX < width) {
                im.add(rowOff + colX, col.get(c));
              }
            }
          }
        }
      }
    }
  }

  /**
   * N-d im2col ({@code toCol}) or col2im (otherwise; the image is overwritten). Shapes are
   * per spatial axis: {@code imShape} of the image, {@code colShape} of the output grid.
   */
  public static void nd(boolean toCol, DataView im, int imOff, int channels, int[] imShape,
      int[] colShape, int[] kernel, int[] pad, int[] stride, int[] dilation, DataView col, int colOff) {
    int axes = imShape.length;
    int imSize = 1;
    int colSize = 1;
    int kernelSize = 1;
    for (int i = 0; i < axes; i++) {
      imSize *= imShape[i];
      colSize *= colShape[i];
      kernelSize *= kernel[i];
    }
    if (!toCol) {
      for (int i = 0; i < channels * imSize; i++) {
        im.set(imOff + i, 0);
      }
    }
    int[] koff = new int[axes];
    int[] pos = new int[axes];
    for (int row = 0; row < channels * kernelSize; row++) {
      int ch = row / kernelSize;
      int rem = row % kernelSize;
      for (int a = axes - 1; a >= 0; a--) {
        koff[a] = rem % kernel[a];
        rem /= kernel[a];
      }
      java.util.Arrays.fill(pos, 0);
      for (int p = 0; p < colSize; p++) {
        int index = 0;
        boolean inside = true;
        for (int a = 0; a < axes; a++) {
          int x = pos[a] * stride[a] - pad[a] + koff[a] * dilation[a];
          if (x < 0 || x >= imShape[a]) {
            inside = false;
            break;
          }
          index = index * imShape[a] + x;
        }
        int c = colOff + row * colSize + p;
        if (toCol) {
          col.set(c, inside ? im.get(imOff + ch * imSize + index) : 0);
        } else if (inside) {
          im.add(imOff + ch * imSize + index, col.get(c));
        }
        for (int a = axes - 1; a >= 0; a--) {
          if (++pos[a] < colShape[a]) {
            break;
          }
          pos[a] = 0;
        }
      }
    }
  }
}
