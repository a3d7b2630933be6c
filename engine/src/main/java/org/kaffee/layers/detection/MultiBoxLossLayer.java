package org.kaffee.layers.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.kaffee.core.Blob;
import org.kaffee.core.BlobCounts;
import org.kaffee.core.DataView;
import org.kaffee.core.Layer;
import org.kaffee.core.LossNormalization;
import org.kaffee.proto.Caffe.LayerParameter;
import org.kaffee.proto.Caffe.LossParameter.NormalizationMode;
import org.kaffee.proto.Caffe.MultiBoxLossParameter;
import org.kaffee.proto.Caffe.MultiBoxLossParameter.MiningType;
import org.kaffee.proto.Caffe.PriorBoxParameter.CodeType;

/**
 * SSD's MultiBoxLoss (weiliu89/caffe): bottoms are the location offsets (N x priors x
 * locClasses x 4, flat), the class scores (N x priors x classes, before softmax), PriorBox's
 * priors and the ground truth (rows of eight, {@link GroundTruth}). Priors are matched to boxes
 * ({@link PriorMatcher}), negatives mined ({@link ExampleMining}); the loss is loc_weight times
 * the location loss of the matched priors ({@link LocationTargets}, {@link LocationLoss}) plus
 * the confidence loss of the matched and mined priors (of every prior without mining;
 * {@link ConfidenceTargets}, {@link ConfidenceLoss}), each divided by the normalizer of
 * loss_param.normalization (VALID: the number of matches). As in the fork, a term whose bottom
 * has propagate_down false in the prototxt is left out, and only the offsets and scores
 * receive gradients.
 */
public final class MultiBoxLossLayer extends Layer {
  private final int numClasses;
  private final int locClasses;
  private final int background;
  private final boolean useDifficult;
  private final boolean agnostic;
  private final boolean mining;
  private final MiningType miningType;
  private final CodeType codeType;
  private final boolean varianceInTarget;
  /** NMS among the mined examples compares the priors, not the decoded predictions. */
  private final boolean usePriorForNms;
  private final double locWeight;
  private final NormalizationMode normalization;
  private final LocationLoss locLoss;
  private final ConfidenceLoss confLoss;
  private final PriorMatcher matcher;
  private final LocationTargets locTargets;
  private final ExampleMining miner;
  private final ConfidenceTargets confTargets;
  private int numPriors;
  /** The state of the last forward pass, for backward. */
  private List<LocationTargets.Target> matched = List.of();
  private ConfidenceTargets.Rows confRows;
  private double normalizer = 1;

  public MultiBoxLossLayer(LayerParameter param) {
    super(param, BlobCounts.of(4, 1).withAutoTops());
    MultiBoxLossParameter p = param.getMultiboxLossParam();
    check(p.hasNumClasses(), "must specify multibox_loss_param.num_classes");
    numClasses = p.getNumClasses();
    check(numClasses >= 1, "num_classes must be at least 1, got %d", numClasses);
    locClasses = p.getShareLocation() ? 1 : numClasses;
    background = p.getBackgroundLabelId();
    useDifficult = p.getUseDifficultGt();
    agnostic = p.getMapObjectToAgnostic();
    miningType = p.getMiningType();
    mining = miningType != MiningType.NONE;
    codeType = p.getCodeType();
    varianceInTarget = p.getEncodeVarianceInTarget();
    usePriorForNms = p.getUsePriorForNms();
    locWeight = p.getLocWeight();
    normalization = LossNormalization.mode(param.getLossParam(), NormalizationMode.VALID);
    locLoss = LocationLoss.of(p.getLocLossType());
    confLoss = ConfidenceLoss.of(p.getConfLossType());
    checkParameters(p);
    matcher = new PriorMatcher(p);
    locTargets = new LocationTargets(p);
    miner = new ExampleMining(p);
    confTargets = new ConfidenceTargets(confLoss, numClasses, background, mining,
        agnostic ? background + 1 : -1);
  }

  private void checkParameters(MultiBoxLossParameter p) {
    check(!p.hasDoNegMining() || p.getDoNegMining() == mining,
        "do_neg_mining (deprecated) is %s but mining_type is %s", p.getDoNegMining(), miningType);
    check(!mining || p.getShareLocation(), "mining_type %s needs share_location: true", miningType);
    check(confLoss != ConfidenceLoss.SOFTMAX || background < numClasses,
        "background_label_id %d must be below num_classes %d for conf_loss_type SOFTMAX", background, numClasses);
    check(!agnostic || numClasses == 2,
        "map_object_to_agnostic needs num_classes 2 (background and object), got %d", numClasses);
    check(miningType != MiningType.HARD_EXAMPLE || p.getSampleSize() > 0,
        "mining_type HARD_EXAMPLE needs sample_size > 0, got %d", p.getSampleSize());
  }

  @Override
  public String type() {
    return "MultiBoxLoss";
  }

  @Override
  protected boolean isLoss() {
    return true;
  }

  /** Neither the priors nor the ground truth receive a gradient. */
  @Override
  public boolean allowForceBackward(int bottomIndex) {
    return bottomIndex < 2;
  }

  @Override
  public void reshape(List<Blob> bottom, List<Blob> top) {
    Blob loc = bottom.get(0);
    Blob conf = bottom.get(1);
    Blob priors = bottom.get(2);
    Blob gt = bottom.get(3);
    check(priors.numAxes() >= 3 && priors.shape(1) == 2 && priors.count(2) % 4 == 0,
        "the priors (bottom 2) must be 1 x 2 x (boxes * 4), got %s", priors.shapeString());
    numPriors = priors.count(2) / 4;
    check(loc.numAxes() > 0 && loc.count(1) == numPriors * locClasses * 4,
        "the locations (bottom 0) %s do not hold %d priors x %d x 4", loc.shapeString(), numPriors, locClasses);
    check(conf.numAxes() > 0 && conf.count(1) == numPriors * numClasses,
        "the confidences (bottom 1) %s do not hold %d priors x %d classes", conf.shapeString(), numPriors,
        numClasses);
    check(loc.shape(0) == conf.shape(0), "locations %s and confidences %s differ in batch size",
        loc.shapeString(), conf.shapeString());
    check(gt.count() % GroundTruth.ROW == 0, "the ground truth (bottom 3) %s must be rows of 8 values",
        gt.shapeString());
    top.get(0).reshape();
  }

  @Override
  public void forward(List<Blob> bottom, List<Blob> top) {
    int num = bottom.get(0).shape(0);
    double[] loc = bottom.get(0).dataView().toArray();
    double[] conf = bottom.get(1).dataView().toArray();
    double[] priorData = bottom.get(2).dataView().toArray();
    List<Box> priors = priors(priorData);
    Map<Integer, List<GroundTruth>> gt = groundTruth(bottom.get(3).dataView().toArray(), num);
    List<Matches> matches = new ArrayList<>();
    List<LocationTargets.Target> targets = new ArrayList<>();
    for (int n = 0; n < num; n++) {
      Matches m = matcher.match(gt.get(n), n, priors, priorData, loc);
      matches.add(m);
      targets.addAll(locTargets.encode(n, m, gt.get(n), priors, priorData, loc));
    }
    List<List<Integer>> negatives = new ArrayList<>();
    if (mining) {
      for (int n = 0; n < num; n++) {
        negatives.add(miner.mine(matches.get(n), priorLosses(n, conf, matches.get(n), gt.get(n), targets),
            miner.usesBoxes() ? nmsBoxes(n, priors, priorData, loc) : null));
      }
      // HARD_EXAMPLE may have unmatched some priors: keep the targets of those still matched
      targets.removeIf(t -> matches.get(t.image()).indices().get(-1)[t.prior()] <= -1);
    }
    matched = targets;
    int numMatches = matches.stream().mapToInt(Matches::count).sum();
    normalizer = LossNormalization.normalizer(normalization, num, numPriors, numMatches);
    confRows = confTargets.rows(conf, num, numPriors, matches, negatives, gt);
    double loss = 0;
    if (propagateDownParam(0)) {
      loss += locWeight * locationLoss() / normalizer;
    }
    if (propagateDownParam(1)) {
      loss += confRows.loss() / normalizer;
    }
    top.get(0).dataView().set(0, loss);
  }

  /** What NMS among the mined examples compares: the priors, or image n's decoded predictions (unclipped). */
  private List<Box> nmsBoxes(int n, List<Box> priors, double[] priorData, double[] loc) {
    if (usePriorForNms) {
      return priors;
    }
    List<Box> boxes = new ArrayList<>();
    for (int p = 0; p < numPriors; p++) {
      boxes.add(BoxCoding.decode(codeType, varianceInTarget, priors.get(p), priorData, numPriors * 4 + p * 4, loc,
          (n * numPriors + p) * 4));
    }
    return boxes;
  }

  /** The fork reads the prototxt's propagate_down (loc and conf when it names none). */
  private boolean propagateDownParam(int bottomIndex) {
    return param.getPropagateDownCount() == 0 ? bottomIndex < 2 : param.getPropagateDown(bottomIndex);
  }

  private List<Box> priors(double[] priorData) {
    List<Box> priors = new ArrayList<>();
    for (int p = 0; p < numPriors; p++) {
      Box b = new Box(priorData[p * 4], priorData[p * 4 + 1], priorData[p * 4 + 2], priorData[p * 4 + 3]);
      check(codeType == CodeType.CORNER || (b.xmax() > b.xmin() && b.ymax() > b.ymin()),
          "prior %d has no area, which code_type %s cannot encode against", p, codeType);
      priors.add(b);
    }
    return priors;
  }

  private Map<Integer, List<GroundTruth>> groundTruth(double[] rows, int num) {
    List<GroundTruth> boxes = GroundTruth.read(rows);
    for (GroundTruth g : boxes) {
      check(g.item() >= 0 && g.item() < num, "ground truth (bottom 3) names image %d of a batch of %d",
          g.item(), num);
      check(g.label() != background, "ground truth (bottom 3) of image %d has the background label %d",
          g.item(), background);
      check(agnostic || (g.label() >= 0 && g.label() < numClasses),
          "ground truth (bottom 3) of image %d has label %d outside [0, %d)", g.item(), g.label(), numClasses);
      Box b = g.box();
      check(codeType != CodeType.CENTER_SIZE || (b.xmax() > b.xmin() && b.ymax() > b.ymin()),
          "ground truth (bottom 3) box %s of image %d has no area, which code_type CENTER_SIZE cannot encode",
          Arrays.toString(new double[] {b.xmin(), b.ymin(), b.xmax(), b.ymax()}), g.item());
    }
    return GroundTruth.byImage(boxes, useDifficult);
  }

  /** Each prior's confidence loss (plus, for HARD_EXAMPLE, its location loss): what mining ranks. */
  private double[] priorLosses(int n, double[] conf, Matches m, List<GroundTruth> gt,
      List<LocationTargets.Target> targets) {
    int[] match = m.indices().get(-1);
    double[] loss = new double[numPriors];
    for (int p = 0; p < numPriors; p++) {
      int label = match != null && match[p] > -1 ? confTargets.label(gt.get(match[p])) : background;
      loss[p] = confLoss.lossOfLabel(conf, (n * numPriors + p) * numClasses, numClasses, label);
    }
    if (miningType == MiningType.HARD_EXAMPLE) {
      for (LocationTargets.Target t : targets) {
        if (t.image() == n) {
          for (int k = 0; k < 4; k++) {
            loss[t.prior()] += locLoss.value(t.prediction()[k] - t.target()[k]);
          }
        }
      }
    }
    return loss;
  }

  private double locationLoss() {
    double sum = 0;
    for (LocationTargets.Target t : matched) {
      for (int k = 0; k < 4; k++) {
        sum += locLoss.value(t.prediction()[k] - t.target()[k]);
      }
    }
    return sum;
  }

  @Override
  public void backward(List<Blob> top, boolean[] propagateDown, List<Blob> bottom) {
    check(!propagateDown[2], "cannot backpropagate to the priors (bottom 2)");
    check(!propagateDown[3], "cannot backpropagate to the ground truth (bottom 3)");
    double scale = top.get(0).diffView().get(0) / normalizer;
    if (propagateDown[0]) {
      bottom.get(0).diff().assign(0);
      DataView diff = bottom.get(0).diffView();
      for (LocationTargets.Target t : matched) {
        for (int k = 0; k < 4; k++) {
          diff.set(t.at() + k, locWeight * scale * locLoss.slope(t.prediction()[k] - t.target()[k]));
        }
      }
    }
    if (propagateDown[1]) {
      double[] gradient = confRows.gradient(bottom.get(1).count());
      for (int i = 0; i < gradient.length; i++) {
        gradient[i] *= scale;
      }
      bottom.get(1).diffView().copyFrom(gradient);
    }
  }
}
