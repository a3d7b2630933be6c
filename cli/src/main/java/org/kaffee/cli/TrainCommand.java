package org.kaffee.cli;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.solver.WorkerThreads;
import org.kaffee.proto.Caffe.NetState;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.ResumeData;
import org.kaffee.solver.Solver;
import org.kaffee.solver.Solvers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kaffee train}: train or fine-tune a model (Caffe's {@code caffe train}). */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train or fine-tune a model.")
final class TrainCommand implements Runnable {
  @Option(names = {"--solver", "-solver"}, description = "The solver definition protocol buffer text file.")
  String solver = "";

  @Option(names = {"--weights", "-weights"}, description = "Optional; the pretrained weights to "
      + "initialize finetuning, separated by ','. Cannot be set simultaneously with snapshot.")
  String weights = "";

  @Option(names = {"--snapshot", "-snapshot"},
      description = "Optional; the snapshot solver state to resume training.")
  String snapshot = "";

  @Option(names = {"--resume_data", "-resume_data"}, description = "With --snapshot: exact (default)"
      + " continues the data layers and generators where the snapshot left them, as the uninterrupted"
      + " run; restart starts the data at the first record, as Caffe does.")
  String resumeData = "exact";

  @Mixin
  CpuOnlyOption cpu;

  @Option(names = {"--iterations", "-iterations"}, description = "Unused by train (Caffe's flag).")
  int iterations = 50;

  @Mixin
  NetStateOptions netState;

  @Option(names = {"--model", "-model"}, description = "Unused by train (Caffe's flag).")
  String model = "";

  @Option(names = {"--workers", "-workers"}, description = "Optional; data-parallel replicas "
      + "as threads of this process, each on batch_size samples of every iteration (default 1).")
  int workers = 1;

  @Option(names = {"--spark-master", "-spark-master"}, description = "Optional; run the --workers "
      + "replicas as Spark barrier tasks: local[N], spark://host:7077, yarn, k8s://...")
  String sparkMaster = "";

  @Option(names = {"--spark-retries", "-spark-retries"}, description = "With --spark-master: how "
      + "many times a failed run restarts from its newest snapshot (default 2).")
  int sparkRetries = 2;

  @Option(names = {"--sigint_effect", "-sigint_effect"}, description = "Optional; action to take "
      + "when a SIGINT signal is received: snapshot, stop or none.")
  String sigintEffect = "stop";

  @Option(names = {"--sighup_effect", "-sighup_effect"}, description = "Optional; action to take "
      + "when a SIGHUP signal is received: snapshot, stop or none.")
  String sighupEffect = "snapshot";

  @Override
  public void run() {
    KaffeeException.check(!solver.isEmpty(), "need a solver definition to train (--solver)");
    KaffeeException.check(snapshot.isEmpty() || weights.isEmpty(),
        "give --snapshot to resume training or --weights to finetune, but not both");
    KaffeeException.check(workers >= 1, "--workers must be at least 1, got %d", workers);
    ResumeData data = ResumeData.parse(resumeData);
    KaffeeException.check(data == ResumeData.EXACT || sparkMaster.isEmpty(), "--resume_data=restart: Spark"
        + " runs resume exactly (their retries rely on it); drop --spark-master or the flag");
    Solver.Action onInt = effect("--sigint_effect", sigintEffect);
    Solver.Action onHup = effect("--sighup_effect", sighupEffect);
    SolverParameter param = Solvers.readFile(solver);
    NetState.Builder trainState = param.getTrainState().toBuilder().setLevel(netState.level)
        .addAllStage(netState.stages());
    SolverParameter.Builder b = param.toBuilder().setTrainState(trainState);
    cpu.useCpu();
    if (!snapshot.isEmpty()) {
      b.clearWeights();
    } else if (!weights.isEmpty()) {
      b.clearWeights().addWeights(weights);
    }
    AtomicReference<Solver.Action> pending = new AtomicReference<>(Solver.Action.NONE);
    installHandler("INT", onInt, pending);
    installHandler("HUP", onHup, pending);
    Supplier<Solver.Action> actions = () -> pending.getAndSet(Solver.Action.NONE);
    Path resume = snapshot.isEmpty() ? null : WorkDir.resolve(snapshot);
    if (resume != null) {
      Glog.info("Resuming from %s", snapshot);
    }
    if (!sparkMaster.isEmpty()) {
      Glog.info("Starting Optimization with %d workers on Spark", workers);
      SparkCommands.train(sparkMaster, b.build(), workers, resume, sparkRetries, actions);
    } else if (workers > 1) {
      Glog.info("Starting Optimization with %d workers", workers);
      WorkerThreads.train(b.build(), workers, resume, actions, data);
    } else {
      Solver s = Solvers.create(b.build());
      s.setActionFunction(actions);
      Glog.info("Starting Optimization");
      s.solve(resume, data);
      s.close();
    }
    Glog.info("Optimization Done.");
  }

  static Solver.Action effect(String flag, String value) {
    switch (value) {
      case "stop":
        return Solver.Action.STOP;
      case "snapshot":
        return Solver.Action.SNAPSHOT;
      case "none":
        return Solver.Action.NONE;
      default:
        throw new KaffeeException("invalid signal effect \"" + value + "\" for " + flag
            + " (expected snapshot, stop or none)");
    }
  }

  @SuppressWarnings("restriction")
  private static void installHandler(String signal, Solver.Action action,
      AtomicReference<Solver.Action> pending) {
    if (action == Solver.Action.NONE) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> { });
      } catch (IllegalArgumentException e) {
        // the signal does not exist here (or is reserved by the JVM)
      }
      return;
    }
    try {
      sun.misc.Signal.handle(new sun.misc.Signal(signal), sig -> {
        Glog.info("Received SIG%s: will %s after the current iteration", signal,
            action == Solver.Action.STOP ? "stop" : "snapshot");
        pending.set(action);
      });
    } catch (IllegalArgumentException e) {
      Glog.warn("cannot handle SIG%s here: %s", signal, e.getMessage());
    }
  }

  static Path path(String name) {
    return WorkDir.resolve(name);
  }
}
