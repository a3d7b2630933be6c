package org.kaffee.reliability;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.kaffee.data.Database;
import org.kaffee.io.ProtoFiles;
import org.kaffee.proto.Caffe.Datum;
import org.kaffee.proto.Caffe.NetParameter;
import org.kaffee.proto.Caffe.SolverState;

/**
 * Kills `kaffee train` with SIGKILL at random moments, resumes from the newest snapshot each
 * time and checks after every kill that the newest caffemodel/solverstate pair loads and
 * belongs to one iteration, and that no file under a final name is partial. A series that
 * reaches max_iter is compared byte for byte with an uninterrupted run, and every loss its runs
 * logged with the uninterrupted run's. The data is an LMDB of 13 records read 8 at a time with
 * mirroring and a Dropout layer, so a snapshot every 3 iterations never falls on an epoch
 * boundary and the resumed runs need their data positions and generators. With 8192 hidden units
 * the net's 8 MB of weights (and as much momentum) make snapshot writes long enough for kills
 * to land inside. Aimed kills wait, after the random delay, until a snapshot's temporary file
 * appears, so that kills land inside writes on any machine; the report counts those that did
 * (a temporary file of the killed run is left behind).
 *
 * <p>{@code java ... org.kaffee.reliability.CrashHarness DIR KILLS [SEED]} (bench/crash_kill.sh).
 */
public final class CrashHarness {
  private static final Pattern STATE_NAME = Pattern.compile("net_iter_(\\d+)\\.solverstate");
  private static final Pattern MODEL_NAME = Pattern.compile("net_iter_(\\d+)\\.caffemodel");
  private static final Pattern LOSS = Pattern.compile("Iteration (\\d+)\\b.*, loss = (\\S+)");
  private static final int RECORDS = 13;
  private static final int BATCH = 8;
  private static final String NET = """
      name: "crash"
      layer { name: "data" type: "Data" top: "data" top: "label"
        transform_param { scale: 0.00390625 mirror: true }
        data_param { source: "data_lmdb" backend: LMDB batch_size: %d } }
      layer { name: "ip1" type: "InnerProduct" bottom: "data" top: "ip1"
        inner_product_param { num_output: %d weight_filler { type: "gaussian" std: 0.01 } } }
      layer { name: "relu" type: "ReLU" bottom: "ip1" top: "ip1" }
      layer { name: "drop" type: "Dropout" bottom: "ip1" top: "ip1" }
      layer { name: "ip2" type: "InnerProduct" bottom: "ip1" top: "ip2"
        inner_product_param { num_output: 10 weight_filler { type: "gaussian" std: 0.01 } } }
      layer { name: "loss" type: "SoftmaxWithLoss" bottom: "ip2" bottom: "label" top: "loss" }
      """;
  private static final String SOLVER = """
      net: "net.prototxt"
      base_lr: 0.01 momentum: 0.9 lr_policy: "fixed"
      max_iter: %d snapshot: 3 snapshot_prefix: "snap/net" display: 1 random_seed: 1
      """;

  /** What a harness run saw. */
  record Report(int kills, int killsInsideWrites, int modelsAheadOfState, int midEpochResumes,
      int resumedSeriesCompared, long windowMillis, List<String> failures) {
    @Override
    public String toString() {
      return String.format("%d SIGKILLs up to %d ms after training started (%d inside a snapshot write,"
          + " %d leaving a caffemodel newer than the newest solverstate), %d resumes from a mid-epoch"
          + " snapshot, %d resumed series compared with the uninterrupted run, %d failures%s", kills,
          windowMillis, killsInsideWrites, modelsAheadOfState, midEpochResumes, resumedSeriesCompared,
          failures.size(),
          failures.isEmpty() ? "" : ": " + failures);
    }
  }

  private final Path root;
  private final Random random;
  private long windowMillis;
  private final int hidden;
  private final int maxIter;
  private final boolean aimAtWrites;
  private int kills;
  private int insideWrites;
  private int midEpochResumes;
  private int modelsAhead;
  private int compared;
  private final List<String> failures = new java.util.ArrayList<>();

  /**
   * {@code hidden} units in the first layer (8192: 8 MB of weights), {@code maxIter} iterations
   * per series, kills up to {@code windowMillis} after training starts; 0 takes a third of the
   * uninterrupted run's time, so that on a busy machine runs still get past a few snapshots;
   * {@code aimAtWrites} waits for a snapshot write to start before each kill.
   */
  CrashHarness(Path root, long seed, long windowMillis, int hidden, int maxIter, boolean aimAtWrites) {
    this.root = root;
    this.random = new Random(seed);
    this.windowMillis = windowMillis;
    this.hidden = hidden;
    this.maxIter = maxIter;
    this.aimAtWrites = aimAtWrites;
  }

  /** Kills {@code wanted} times, then finishes the series and compares it. */
  Report run(int wanted) throws IOException, InterruptedException {
    long started = System.nanoTime();
    byte[] reference = finalModel(trainToEnd(prepare(root.resolve("reference")), "reference.log"));
    if (windowMillis <= 0) {
      windowMillis = Math.max(1000, (System.nanoTime() - started) / 3_000_000);
    }
    Path series = prepare(root.resolve("series-0"));
    while (kills < wanted) {
      long runStart = System.currentTimeMillis();
      KaffeeProcess p = start(series, "run-" + kills + ".log");
      if (!p.awaitLog("Starting Optimization", 300)) {
        failures.add("run " + kills + " did not start: " + tail(p));
        p.kill();
        break;
      }
      Thread.sleep((long) (random.nextDouble() * windowMillis));
      if (aimAtWrites) {
        // the series must progress: let this run complete a snapshot, then kill it inside the next
        awaitTempFile(series, awaitNewState(series, p), p);
      }
      if (!p.alive()) {
        compare(series, reference, p);
        series = prepare(root.resolve("series-" + (compared + failures.size())));
        continue;
      }
      p.kill();
      kills++;
      if (hasTempFileSince(series, runStart)) {
        insideWrites++;
      }
      checkNewestPair(series);
    }
    compare(trainToEnd(series, "finish.log"), reference, null);
    return new Report(kills, insideWrites, modelsAhead, midEpochResumes, compared, windowMillis, failures);
  }

  private Path prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    Random pixels = new Random(RECORDS);
    try (Database db = Database.open("lmdb", dir.resolve("data_lmdb"), Database.Mode.NEW)) {
      for (int i = 0; i < RECORDS; i++) {
        byte[] image = new byte[256];
        pixels.nextBytes(image);
        db.put(String.format("%08d", i).getBytes(), Datum.newBuilder().setChannels(1).setHeight(16).setWidth(16)
            .setData(ByteString.copyFrom(image)).setLabel(i % 10).build().toByteArray());
      }
      db.commit();
    }
    Files.writeString(dir.resolve("net.prototxt"), NET.formatted(BATCH, hidden));
    Files.writeString(dir.resolve("solver.prototxt"), SOLVER.formatted(maxIter));
    return dir;
  }

  private KaffeeProcess start(Path dir, String log) throws IOException {
    Optional<Path> newest = newestState(dir);
    if (newest.isPresent() && iterationOf(newest.get()) * BATCH % RECORDS != 0) {
      midEpochResumes++;
    }
    return newest.isPresent()
        ? KaffeeProcess.start(dir, log, "train", "--solver=solver.prototxt",
            "--snapshot=" + dir.relativize(newest.get()))
        : KaffeeProcess.start(dir, log, "train", "--solver=solver.prototxt");
  }

  private Path trainToEnd(Path dir, String log) throws IOException, InterruptedException {
    KaffeeProcess p = start(dir, log);
    int exit = p.waitFor(1800);
    if (exit != 0) {
      failures.add(dir.getFileName() + ": training to the end exited " + exit + ": " + tail(p));
    }
    return dir;
  }

  private void compare(Path series, byte[] reference, KaffeeProcess finished) throws IOException {
    byte[] resumed = finalModel(series);
    if (!Arrays.equals(resumed, reference)) {
      failures.add(series.getFileName() + ": the resumed run's final weights differ from the"
          + " uninterrupted run's" + (finished == null ? "" : " (" + tail(finished) + ")"));
    }
    Map<Integer, String> expected = losses(root.resolve("reference/reference.log"));
    try (Stream<Path> logs = Files.list(series)) {
      for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        losses(log).forEach((iter, loss) -> {
          if (!loss.equals(expected.get(iter))) {
            failures.add(series.getFileName() + "/" + log.getFileName() + ": iteration " + iter + " logged loss "
                + loss + ", the uninterrupted run " + expected.get(iter));
          }
        });
      }
    }
    compared++;
  }

  /** The losses a log shows by iteration; a last line a kill cut short is left out. */
  private static Map<Integer, String> losses(Path log) throws IOException {
    String text = Files.readString(log);
    List<String> lines = text.lines().toList();
    if (!text.endsWith("\n") && !lines.isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    Map<Integer, String> out = new TreeMap<>();
    for (String line : lines) {
      Matcher m = LOSS.matcher(line);
      if (m.find()) {
        out.put(Integer.parseInt(m.group(1)), m.group(2));
      }
    }
    return out;
  }

  private byte[] finalModel(Path dir) throws IOException {
    Path model = dir.resolve("snap/net_iter_" + maxIter + ".caffemodel");
    return Files.exists(model) ? Files.readAllBytes(model) : new byte[0];
  }

  /** Polls without sleeping (a snapshot write lasts milliseconds) until the run writes a .tmp file or ends. */
  private static void awaitTempFile(Path dir, long runStart, KaffeeProcess p) throws IOException {
    long end = System.nanoTime() + 120_000_000_000L;
    while (p.alive() && System.nanoTime() < end && !hasTempFileSince(dir, runStart)) {
      Thread.onSpinWait();
    }
  }

  /**
   * Waits until the run has renamed a newer solverstate into place than the newest one now (or
   * ended); returns the time it saw it, after which a .tmp file belongs to the next snapshot.
   */
  private static long awaitNewState(Path dir, KaffeeProcess p) throws IOException {
    int before = newestState(dir).map(CrashHarness::iterationOf).orElse(-1);
    long end = System.nanoTime() + 120_000_000_000L;
    while (p.alive() && System.nanoTime() < end
        && newestState(dir).map(CrashHarness::iterationOf).orElse(-1) <= before) {
      Thread.onSpinWait();
    }
    return System.currentTimeMillis();
  }

  /** A .tmp file the killed run wrote: older ones are left from earlier kills. */
  private static boolean hasTempFileSince(Path dir, long millis) throws IOException {
    Path snap = dir.resolve("snap");
    if (!Files.isDirectory(snap)) {
      return false;
    }
    try (Stream<Path> files = Files.list(snap)) {
      return files.anyMatch(f -> f.toString().endsWith(".tmp") && f.toFile().lastModified() >= millis);
    }
  }

  /** The newest iteration with a caffemodel under its final name, -1 for none. */
  private static int newestModel(Path snap) throws IOException {
    try (Stream<Path> files = Files.list(snap)) {
      return files.map(f -> MODEL_NAME.matcher(f.getFileName().toString()))
          .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(-1);
    }
  }

  private static Optional<Path> newestState(Path dir) throws IOException {
    Path snap = dir.resolve("snap");
    if (!Files.isDirectory(snap)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(snap)) {
      return files.filter(f -> STATE_NAME.matcher(f.getFileName().toString()).matches())
          .max(Comparator.comparingInt(CrashHarness::iterationOf));
    }
  }

  private static int iterationOf(Path state) {
    Matcher m = STATE_NAME.matcher(state.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Every final name parses; the newest state names a model of its own iteration. */
  private void checkNewestPair(Path dir) throws IOException {
    Path snap = dir.resolve("snap");
    if (!Files.isDirectory(snap)) {
      return;
    }
    try (Stream<Path> files = Files.list(snap)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        try {
          if (name.endsWith(".caffemodel")) {
            NetParameter net = ProtoFiles.readBinary(f, NetParameter.newBuilder(), "caffemodel").build();
            if (net.getLayerCount() == 0) {
              failures.add("kill " + kills + ": " + name + " holds no layers");
            }
          } else if (name.endsWith(".solverstate")) {
            ProtoFiles.readBinary(f, SolverState.newBuilder(), "solverstate");
          }
        } catch (RuntimeException e) {
          failures.add("kill " + kills + ": " + name + " is partial: " + e.getMessage());
        }
      }
    }
    Optional<Path> newest = newestState(dir);
    // a kill between the renames of one snapshot: its caffemodel is in place, its state is not,
    // and resuming takes the older pair
    if (newestModel(snap) > newest.map(CrashHarness::iterationOf).orElse(-1)) {
      modelsAhead++;
    }
    if (newest.isEmpty()) {
      return;
    }
    SolverState state = ProtoFiles.readBinary(newest.get(), SolverState.newBuilder(), "solverstate").build();
    Path model = dir.resolve(state.getLearnedNet());
    if (state.getIter() != iterationOf(newest.get()) || !Files.exists(model)
        || !model.getFileName().toString().equals("net_iter_" + state.getIter() + ".caffemodel")) {
      failures.add("kill " + kills + ": " + newest.get().getFileName() + " (iter " + state.getIter()
          + ") pairs with " + state.getLearnedNet() + (Files.exists(model) ? "" : ", which is missing"));
    }
  }

  private static String tail(KaffeeProcess p) throws IOException {
    String[] lines = p.output().strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int wanted = Integer.parseInt(args[1]);
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
    Report report = new CrashHarness(dir, seed, 0, 8192, 60, false).run(wanted);
    System.out.println(report);
    System.exit(report.failures().isEmpty() ? 0 : 1);
  }
}
