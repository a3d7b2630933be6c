package org.kaffee.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import org.kaffee.core.KaffeeException;
import org.kaffee.kernels.NativeStart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code kaffee} command: Caffe's {@code caffe} tool and its dataset tools under one
 * name. Flags take Caffe's gflags spellings ({@code --solver=x}, {@code --solver x},
 * {@code -solver x}). A rejected input prints one line and exits 1; the Java stack trace
 * only with {@code --verbose}.
 */
@Command(name = "kaffee", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "A Caffe-compatible deep-learning trainer for the JVM.")
public final class Main implements Runnable {
  /** The subcommands, in the order of the usage text. */
  private static final List<Class<?>> COMMANDS = List.of(
      TrainCommand.class,
      TestCommand.class,
      TimeCommand.class,
      DeviceQueryCommand.class,
      UpgradeNetTextCommand.class,
      UpgradeNetBinaryCommand.class,
      UpgradeSolverTextCommand.class,
      ComputeImageMeanCommand.class,
      ConvertImagesetCommand.class,
      ConvertAnnosetCommand.class,
      ConvertMnistDataCommand.class,
      ExtractFeaturesCommand.class,
      ConvertMnistSiameseDataCommand.class,
      ParseLogCommand.class,
      PlotTrainingLogCommand.class,
      DrawNetCommand.class,
      ExportOnnxCommand.class,
      VisualizeCommand.class,
      ServeCommand.class,
      ClassifyCommand.class,
      EvaluateCommand.class,
      DetectCommand.class);

  @Option(names = {"--verbose", "-verbose"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Print the Java stack trace of an error.")
  boolean verbose;

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  /** The commands that run nets, so load ND4J. */
  private static final Set<String> NET_COMMANDS = Set.of("train", "test", "time", "extract_features",
      "export_onnx", "visualize", "classify", "evaluate", "detect");

  public static void main(String[] args) {
    if (args.length > 0 && NET_COMMANDS.contains(args[0])) {
      // the native libraries start on their own thread while the flags and prototxts are read
      NativeStart.inBackground();
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cli = commandLine(args.length > 0 ? args[0] : "");
    return cli.execute(args);
  }

  /** The command line with every subcommand, for the usage text and the tests. */
  static CommandLine commandLine() {
    return commandLine("");
  }

  /**
   * The command line for a run whose first argument is {@code first}: just that subcommand when
   * it names one, else all. Picocli reads every option of every registered command by reflection
   * before parsing, about 0.2 s for all twenty at a cold start, which a run of one does not need.
   */
  static CommandLine commandLine(String first) {
    CommandLine cli = new CommandLine(new Main());
    List<Class<?>> named = COMMANDS.stream()
        .filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
    for (Class<?> command : named.isEmpty() ? COMMANDS : named) {
      cli.addSubcommand(command);
    }
    cli.setExecutionExceptionHandler(Main::handleError);
    cli.setParameterExceptionHandler(Main::handleUsageError);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }

  private static boolean verbose(CommandLine cli) {
    CommandLine root = cli;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return ((Main) root.getCommand()).verbose;
  }

  private static int handleError(Exception e, CommandLine cli, CommandLine.ParseResult result) {
    PrintWriter err = cli.getErr();
    if (verbose(cli)) {
      e.printStackTrace(err);
    }
    String message = e instanceof KaffeeException || e.getMessage() != null ? e.getMessage() : e.toString();
    if (!(e instanceof KaffeeException) && !verbose(cli)) {
      message = e.getClass().getSimpleName() + ": " + message + " (run with --verbose for details)";
    }
    err.println(prefix(cli) + ": error: " + message);
    err.flush();
    return 1;
  }

  private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    err.println(prefix(cli) + ": error: " + e.getMessage()
        + " (see 'kaffee " + (cli.getParent() == null ? "" : cli.getCommandName() + " ") + "--help')");
    err.flush();
    return 1;
  }

  /** "kaffee train" for a subcommand, "kaffee" for the root. */
  private static String prefix(CommandLine cli) {
    return cli.getParent() == null ? "kaffee" : "kaffee " + cli.getCommandName();
  }

  /** The version from the jar manifest, or "dev" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"kaffee " + (v == null ? "dev" : v)
          + " (Caffe-compatible; Java " + System.getProperty("java.version") + ")"};
    }
  }
}
