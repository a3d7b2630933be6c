import java.nio.file.Path;
import org.kaffee.api.Kaffee;
import org.kaffee.api.Network;
import org.kaffee.log.Glog;

/**
 * Java's side of bench/pycaffe_forward.sh: the mean time of Network.forward on a deploy net,
 * after warm-up, with no Python in the process. Run as a single-file program on the jar's class path.
 */
public final class NetworkForwardTime {
  public static void main(String[] args) {
    Glog.setQuiet(true);
    Network net = Kaffee.load(Path.of(args[0]));
    int iterations = Integer.parseInt(args[1]);
    for (int i = 0; i < Math.max(5, iterations / 5); i++) {
      net.forward();
    }
    long start = System.nanoTime();
    for (int i = 0; i < iterations; i++) {
      net.forward();
    }
    System.out.printf("%.3f%n", (System.nanoTime() - start) / 1e6 / iterations);
  }
}
