package org.kaffee.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.kaffee.data.ImagesetConverter;
import org.kaffee.io.ProtoFiles;
import org.kaffee.log.Glog;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;

/**
 * models/lenet trained for a few hundred iterations on generated 28x28 gray images (class c is
 * a bright block at its own place on dark noise), kept for the whole test run: the images as
 * PNG files, their {@code path label} list, the same images as an LMDB, and the caffemodel.
 */
public final class TrainedLeNet {
  public static final int IMAGES = 200;
  public static final int ITERATIONS = 200;
  public static final float SCALE = 0.00390625f;
  public static final Path DEPLOY = Path.of("models/lenet/lenet_deploy.prototxt");

  private static TrainedLeNet instance;

  /** The directory holding images/, list.txt, train_lmdb and lenet.caffemodel. */
  public final Path dir;
  public final Path list;
  public final Path lmdb;
  public final Path weights;
  public final int[] labels = new int[IMAGES];

  private TrainedLeNet(Path dir) {
    this.dir = dir;
    this.list = dir.resolve("list.txt");
    this.lmdb = dir.resolve("train_lmdb");
    this.weights = dir.resolve("lenet.caffemodel");
  }

  public static synchronized TrainedLeNet get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("kaffee-lenet");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        TrainedLeNet lenet = new TrainedLeNet(dir);
        Glog.setQuiet(true);
        try {
          lenet.writeImages();
          ImagesetConverter.Options gray = new ImagesetConverter.Options();
          gray.gray = true;
          ImagesetConverter.convert(dir + "/", lenet.list, lenet.lmdb, gray);
          lenet.train();
        } finally {
          Glog.setQuiet(false);
        }
        instance = lenet;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  /** The path of image {@code n}, relative to {@link #dir}. */
  public static String imageName(int n) {
    return String.format("images/n%03d.png", n);
  }

  private void writeImages() throws IOException {
    Files.createDirectories(dir.resolve("images"));
    Random rng = new Random(11);
    StringBuilder listText = new StringBuilder();
    for (int n = 0; n < IMAGES; n++) {
      int label = n % 10;
      labels[n] = label;
      int top = 2 + (label / 4) * 8;
      int left = 2 + (label % 4) * 6;
      BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 28; y++) {
        for (int x = 0; x < 28; x++) {
          boolean inside = y >= top && y < top + 7 && x >= left && x < left + 6;
          img.getRaster().setSample(x, y, 0, inside ? 200 + rng.nextInt(56) : rng.nextInt(40));
        }
      }
      ImageIO.write(img, "png", dir.resolve(imageName(n)).toFile());
      listText.append(imageName(n)).append(' ').append(label).append('\n');
    }
    Files.writeString(list, listText, StandardCharsets.UTF_8);
  }

  private void train() {
    Path netFile = Path.of("models/lenet/lenet_train_test.prototxt");
    String text = ProtoFiles.readString(netFile).replaceAll("source: \"[^\"]*\"", "source: \"" + lmdb + "\"");
    NetParameter net = ProtoFiles.parseText(text, netFile.toString(), NetParameter.newBuilder()).build();
    SolverParameter param = SolverParameter.newBuilder().setNetParam(net).setBaseLr(0.01f).setMomentum(0.9f)
        .setWeightDecay(0.0005f).setLrPolicy("inv").setGamma(0.0001f).setPower(0.75f).setMaxIter(ITERATIONS)
        .setRandomSeed(1).setSnapshotAfterTrain(false).setSnapshotPrefix(dir.resolve("snap").toString()).build();
    Solver solver = Solvers.create(param);
    solver.step(ITERATIONS);
    ProtoFiles.writeBinary(weights, solver.net().toProto(net, false));
  }

  private static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory; the system cleans it up eventually
    }
  }
}
