package org.kaffee.visual;

import java.util.Random;
import org.kaffee.api.Network;
import org.kaffee.core.Blob;
import org.kaffee.core.DataView;
import org.kaffee.core.KaffeeException;
import org.kaffee.core.Net;

/**
 * The input that excites one unit most, by gradient ascent on the input through the net's
 * own backward (the seed notes' recipe, with the regularisers of Yosinski et al.): each
 * iteration shifts the image by a random jitter, takes the gradient of the unit's
 * activation, shifts it back and steps along it (normalised by its mean magnitude, so
 * {@code lr} is a fraction of the input's value range), decays the image towards zero (L2)
 * and every few iterations blurs it. Deterministic for a seed.
 */
public final class InputMaximizer {
  /** The knobs of the ascent. */
  public record Settings(int iterations, double lr, double decay, int jitter, int blurEvery,
      long seed, double valueRange) {
    public Settings {
      KaffeeException.check(iterations > 0, "--iterations must be positive, got %d", iterations);
      KaffeeException.check(lr > 0, "--lr must be positive, got %s", lr);
      KaffeeException.check(decay >= 0 && decay < 1, "--decay must be in [0, 1), got %s", decay);
      KaffeeException.check(jitter >= 0, "--jitter must be >= 0, got %d", jitter);
    }
  }

  /** The image found and the unit's activation at every iteration (before its step). */
  public record Result(float[] input, double[] activations) {
  }

  private final Net net;
  private final int layer;
  private final int unit;

  /** {@code target} is "layer:unit" (a layer or blob name; the unit is a channel or an output). */
  public InputMaximizer(Network network, String target) {
    int colon = target.lastIndexOf(':');
    KaffeeException.check(colon > 0, "--maximize must be layer:unit, got '%s'", target);
    this.net = network.core();
    this.layer = LayerLookup.producing(net, target.substring(0, colon));
    try {
      this.unit = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new KaffeeException("--maximize: unit '" + target.substring(colon + 1)
          + "' is not a number");
    }
    Blob top = LayerLookup.firstTop(net, layer);
    KaffeeException.check(unit >= 0 && top.numAxes() >= 2 && unit < top.shape(1),
        "--maximize: %s (%s) has no unit %d", LayerLookup.firstTopName(net, layer), top.shapeString(), unit);
  }

  public Result run(Settings s) {
    Blob input = net.inputBlobs().get(0);
    int c = input.channels();
    int h = input.height();
    int w = input.width();
    Random rng = new Random(s.seed());
    float[] image = new float[c * h * w];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) (rng.nextGaussian() * 0.01 * s.valueRange());
    }
    double[] activations = new double[s.iterations()];
    float[] grad = new float[image.length];
    for (int it = 0; it < s.iterations(); it++) {
      int dy = s.jitter() == 0 ? 0 : rng.nextInt(2 * s.jitter() + 1) - s.jitter();
      int dx = s.jitter() == 0 ? 0 : rng.nextInt(2 * s.jitter() + 1) - s.jitter();
      write(input.dataView(), Shift.roll(image, c, h, w, dy, dx));
      activations[it] = gradient(net, grad);
      float[] back = Shift.roll(grad, c, h, w, -dy, -dx);
      double meanAbs = 0;
      for (float g : back) {
        meanAbs += Math.abs(g);
      }
      meanAbs /= back.length;
      double step = meanAbs > 0 ? s.lr() * s.valueRange() / meanAbs : 0;
      for (int i = 0; i < image.length; i++) {
        image[i] = (float) ((image[i] + step * back[i]) * (1 - s.decay()));
      }
      if (s.blurEvery() > 0 && (it + 1) % s.blurEvery() == 0) {
        image = Shift.blur3x3(image, c, h, w);
      }
    }
    return new Result(image, activations);
  }

  /** The activation of the unit for the input now in the net; its gradient into {@code grad}. */
  private double gradient(Net net, float[] grad) {
    net.forwardFromTo(0, layer);
    Blob top = LayerLookup.firstTop(net, layer);
    int plane = top.count(2);
    DataView data = top.dataView();
    DataView diff = top.diffView();
    double activation = 0;
    for (int i = 0; i < top.count(); i++) {
      diff.set(i, 0);
    }
    // The unit's activation is the mean over its map (one value for an InnerProduct output).
    for (int i = 0; i < plane; i++) {
      activation += data.get(unit * plane + i) / plane;
      diff.set(unit * plane + i, 1.0 / plane);
    }
    net.backwardFromTo(layer, 0);
    DataView in = net.inputBlobs().get(0).diffView();
    for (int i = 0; i < grad.length; i++) {
      grad[i] = (float) in.get(i);
    }
    return activation;
  }

  private static void write(DataView view, float[] values) {
    for (int i = 0; i < values.length; i++) {
      view.set(i, values[i]);
    }
  }
}
