package org.kaffee.kernels;

import org.kaffee.core.Blob;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ND4J's whole-batch conv2d / deconv2d ops (oneDNN kernels), for 2-D float32 layers without
 * dilation. The ops take a single group, so a grouped layer runs them once per group on copies of
 * the group's channels and weights. The ops' weight and bias gradients overwrite, so they land in
 * scratch arrays that are then added to the diffs.
 *
 * <p>A single-group layer splits its batch into {@link BatchParts} fixed parts, run on the cores by
 * {@link Parallel} with one thread per op: the cores work at the grain of half a batch instead of
 * OpenMP's fork and join inside every op. Each part's parameter gradients have their own scratch
 * and are added to the diffs in part order, so results do not depend on the number of cores.
 */
final class OneDnnConvolution implements ConvolutionEngine {
  private final ConvolutionShape shape;
  private final Blob weights;
  private final Blob bias;
  private final int[] opArgs;
  /** Per batch part; one part for a grouped layer. */
  private final INDArray[] weightGrad;
  private final INDArray[] biasGrad;
  private final int parts;
  private final BatchParts batch;
  /** The bottom gradient when none is wanted (the backward op always computes one); one group only. */
  private final INDArray unwantedBottomGrad;
  /** Per-group copies; null with one group. */
  private final GroupSlices slices;

  OneDnnConvolution(ConvolutionShape shape, Blob weights, Blob bias) {
    this.shape = shape;
    this.weights = weights;
    this.bias = bias;
    int[] k = shape.kernel();
    int[] s = shape.stride();
    int[] p = shape.pad();
    // kernel, stride, pad, dilation, SAME mode off, NCHW, weights [out, in, kH, kW]
    opArgs = new int[] {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, 0, 1};
    int g = shape.group();
    long[] bottomShape = {shape.num(), shape.channels(), bottomSpatial()[0], bottomSpatial()[1]};
    long[] groupWeights = weights.data().shape().clone();
    groupWeights[0] /= g;
    batch = new BatchParts(g == 1 ? shape.num() : 1);
    parts = batch.count();
    weightGrad = new INDArray[parts];
    biasGrad = new INDArray[parts];
    for (int part = 0; part < parts; part++) {
      weightGrad[part] = Nd4j.create(DataType.FLOAT, groupWeights);
      biasGrad[part] = Nd4j.create(DataType.FLOAT, shape.numOutput() / g);
    }
    unwantedBottomGrad = g == 1 ? Nd4j.create(DataType.FLOAT, bottomShape) : null;
    bottomShape[1] /= g;
    slices = g == 1 ? null : new GroupSlices(bottomShape, topSpatial(), groupWeights);
  }

  private int[] bottomSpatial() {
    return shape.transposed() ? shape.outSpatial() : shape.inSpatial();
  }

  private int[] topSpatial() {
    return shape.transposed() ? shape.inSpatial() : shape.outSpatial();
  }

  /** Scratch copies of one group's share of the bottom, top, weights and bias. */
  private final class GroupSlices {
    final INDArray in;
    final INDArray inGrad;
    final INDArray out;
    final INDArray outGrad;
    final INDArray w;
    final INDArray b;

    GroupSlices(long[] groupBottom, int[] topSpatial, long[] groupWeights) {
      long[] groupTop = {shape.num(), shape.numOutput() / shape.group(), topSpatial[0], topSpatial[1]};
      in = Nd4j.create(DataType.FLOAT, groupBottom);
      inGrad = Nd4j.create(DataType.FLOAT, groupBottom);
      out = Nd4j.create(DataType.FLOAT, groupTop);
      outGrad = Nd4j.create(DataType.FLOAT, groupTop);
      w = Nd4j.create(DataType.FLOAT, groupWeights);
      b = Nd4j.create(DataType.FLOAT, shape.numOutput() / shape.group());
    }

    void load(Blob bottom, int g) {
      in.assign(channels(bottom.data(), g, in));
      w.assign(rows(weights.data(), g, w));
      if (bias != null) {
        b.assign(rows(bias.data(), g, b));
      }
    }
  }

  /** Group {@code g}'s channels of a [num, channels, h, w] array, as many as {@code like} has. */
  private static INDArray channels(INDArray a, int g, INDArray like) {
    long per = like.size(1);
    return a.get(NDArrayIndex.all(), NDArrayIndex.interval(g * per, (g + 1) * per), NDArrayIndex.all(),
        NDArrayIndex.all());
  }

  /** Group {@code g}'s rows of a weight or bias array, as many as {@code like} has. */
  private static INDArray rows(INDArray a, int g, INDArray like) {
    long per = like.size(0);
    return a.get(NDArrayIndex.interval(g * per, (g + 1) * per));
  }

  @Override
  public void forward(Blob bottom, Blob top) {
    if (slices == null) {
      INDArray b = bias == null ? null : bias.data();
      INDArray[] in = batch.of(bottom.data());
      INDArray[] out = batch.of(top.data());
      Parallel.forRange(parts, (worker, from, to) -> {
        for (int part = from; part < to; part++) {
          runForward(in[part], weights.data(), b, out[part]);
        }
      });
      return;
    }
    for (int g = 0; g < shape.group(); g++) {
      slices.load(bottom, g);
      runForward(slices.in, slices.w, bias == null ? null : slices.b, slices.out);
      channels(top.data(), g, slices.out).assign(slices.out);
    }
  }

  @Override
  public void backward(Blob top, Blob bottom, Wanted wanted) {
    if (!wanted.any()) {
      return;
    }
    if (slices == null) {
      INDArray bottomGrad = wanted.bottom() ? bottom.diff() : unwantedBottomGrad;
      INDArray b = bias == null ? null : bias.data();
      INDArray[] in = batch.of(bottom.data());
      INDArray[] outGrad = batch.of(top.diff());
      INDArray[] inGrad = batch.of(bottomGrad);
      Parallel.forRange(parts, (worker, from, to) -> {
        for (int part = from; part < to; part++) {
          runBackward(in[part], weights.data(), b, outGrad[part], inGrad[part], part);
        }
      });
      for (int part = 0; part < parts; part++) {
        addParamGradients(wanted, weights.diff(), bias == null ? null : bias.diff(), part);
      }
      return;
    }
    for (int g = 0; g < shape.group(); g++) {
      slices.load(bottom, g);
      slices.outGrad.assign(channels(top.diff(), g, slices.outGrad));
      runBackward(slices.in, slices.w, bias == null ? null : slices.b, slices.outGrad, slices.inGrad, 0);
      if (wanted.bottom()) {
        channels(bottom.diff(), g, slices.inGrad).assign(slices.inGrad);
      }
      addParamGradients(wanted, rows(weights.diff(), g, weightGrad[0]),
          bias == null ? null : rows(bias.diff(), g, biasGrad[0]), 0);
    }
  }

  private void addParamGradients(Wanted wanted, INDArray weightDiff, INDArray biasDiff, int part) {
    if (wanted.weights()) {
      weightDiff.addi(weightGrad[part]);
    }
    if (wanted.bias()) {
      biasDiff.addi(biasGrad[part]);
    }
  }

  private void runForward(INDArray in, INDArray w, INDArray b, INDArray out) {
    Nd4j.exec(DynamicCustomOp.builder(shape.transposed() ? "deconv2d" : "conv2d")
        .addInputs(b == null ? new INDArray[] {in, w} : new INDArray[] {in, w, b})
        .addOutputs(out).addIntegerArguments(opArgs).build());
  }

  /** The op's gradients: the bottom's into {@code inGrad}, the params' into part {@code part}'s scratch. */
  private void runBackward(INDArray in, INDArray w, INDArray b, INDArray outGrad, INDArray inGrad, int part) {
    INDArray[] ins = b == null ? new INDArray[] {in, w, outGrad} : new INDArray[] {in, w, b, outGrad};
    INDArray[] outs = b == null ? new INDArray[] {inGrad, weightGrad[part]}
        : new INDArray[] {inGrad, weightGrad[part], biasGrad[part]};
    Nd4j.exec(DynamicCustomOp.builder(shape.transposed() ? "deconv2d_bp" : "conv2d_bp")
        .addInputs(ins).addOutputs(outs).addIntegerArguments(opArgs).build());
  }
}
