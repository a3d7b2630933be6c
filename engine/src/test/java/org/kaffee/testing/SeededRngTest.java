package org.kaffee.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.kaffee.core.Rng;

class SeededRngTest {
  @RepeatedTest(2)
  void everyTestStartsFromCaffesTestSeed() {
    long first = Rng.global().nextLong();
    assertEquals(new Random(SeededRng.SEED).nextLong(), first);
    Rng.global().nextLong();  // moves the generator on: the next repetition must start over
  }
}
