package org.kaffee.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kaffee.core.KaffeeException;
import org.kaffee.data.Image;
import org.kaffee.log.Glog;
import org.kaffee.testing.TrainedLeNet;

/** The API on a LeNet trained on generated images: it must recognise its own training images. */
class ClassifierTest {
  private static TrainedLeNet lenet;

  @TempDir
  Path dir;

  @BeforeAll
  static void train() {
    lenet = TrainedLeNet.get();
    Glog.setQuiet(true);
  }

  @AfterAll
  static void loud() {
    Glog.setQuiet(false);
  }

  private static Classifier classifier() {
    return new Classifier(Kaffee.load(TrainedLeNet.DEPLOY, lenet.weights),
        new Preprocessing().scale(TrainedLeNet.SCALE), null);
  }

  private static List<Image> images(int from, int to) {
    List<Image> images = new ArrayList<>();
    for (int n = from; n < to; n++) {
      images.add(Image.read(lenet.dir.resolve(TrainedLeNet.imageName(n)), false, "test"));
    }
    return images;
  }

  private static List<String> names(int count) {
    return java.util.Collections.nCopies(count, "image");
  }

  @Test
  void classifiesItsOwnTrainingImages() {
    Classifier classifier = classifier();
    float[][] probabilities = classifier.probabilities(images(0, TrainedLeNet.IMAGES), names(TrainedLeNet.IMAGES));
    int correct = 0;
    for (int n = 0; n < TrainedLeNet.IMAGES; n++) {
      Prediction best = classifier.top(probabilities[n], 1).get(0);
      correct += best.index() == lenet.labels[n] ? 1 : 0;
      float sum = 0;
      for (float p : probabilities[n]) {
        sum += p;
      }
      assertEquals(1, sum, 1e-4, "the deploy net ends in Softmax");
    }
    assertEquals(TrainedLeNet.IMAGES, correct, "training images classified correctly");
  }

  @Test
  void oneImageAtATimeGivesWhatTheBatchGives() {
    Classifier classifier = classifier();
    float[][] batch = classifier.probabilities(images(0, 10), names(10));
    for (int n = 0; n < 10; n++) {
      List<Prediction> top = classifier.classify(images(n, n + 1).get(0), 3);
      assertEquals(3, top.size());
      assertEquals(lenet.labels[n], top.get(0).index());
      assertEquals(batch[n][top.get(0).index()], top.get(0).probability(), 1e-5);
      assertTrue(top.get(0).probability() >= top.get(1).probability());
    }
  }

  @Test
  void readsAnyBlobByNameAndTakesRawFloats() {
    Network net = Kaffee.load(TrainedLeNet.DEPLOY, lenet.weights);
    Image image = images(3, 4).get(0);
    float[] input = new float[28 * 28];
    for (int i = 0; i < input.length; i++) {
      input[i] = (image.pixels[i] & 0xff) * TrainedLeNet.SCALE;
    }
    net.reshapeInput("data", 1, 1, 28, 28);
    net.setInput(input);
    net.forward();
    assertArrayEquals(new int[] {1, 20, 24, 24}, net.blobShape("conv1"));
    assertEquals(List.of("prob"), net.outputNames());
    float[] prob = net.blob("prob");
    float[] viaClassifier = classifier().probabilities(List.of(image), names(1))[0];
    assertArrayEquals(viaClassifier, prob, 1e-6f);
    assertEquals(2, net.params("conv1").size());
    assertArrayEquals(new int[] {20, 1, 5, 5}, net.paramShapes("conv1").get(0));
  }

  @Test
  void copiesOnOtherThreadsShareTheWeightsAndAgree() throws Exception {
    Classifier first = classifier();
    float[][] expected = first.probabilities(images(0, 40), names(40));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        Classifier mine = first.copy();
        results.add(pool.submit(() -> mine.probabilities(images(0, 40), names(40))));
      }
      for (Future<float[][]> result : results) {
        float[][] got = result.get();
        for (int n = 0; n < 40; n++) {
          assertArrayEquals(expected[n], got[n], 1e-6f);
        }
      }
    } finally {
      pool.shutdown();
    }
    assertTrue(first.copy().network().core().params().get(0)
        .sharesDataWith(first.network().core().params().get(0)), "copies share the weight memory");
  }

  @Test
  void tooFewLabelsAndBadBlobNamesGiveOneClearLine() throws Exception {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\n");
    KaffeeException few = assertThrows(KaffeeException.class,
        () -> new Classifier(Kaffee.load(TrainedLeNet.DEPLOY, lenet.weights), new Preprocessing(),
            Labels.read(labels)));
    assertEquals("the labels file has 3 labels but the net's output 'prob' has 10 classes", few.getMessage());
    KaffeeException blob = assertThrows(KaffeeException.class, () -> classifier().network().blob("nope"));
    assertEquals("net LeNet has no blob named 'nope'", blob.getMessage());
  }
}
