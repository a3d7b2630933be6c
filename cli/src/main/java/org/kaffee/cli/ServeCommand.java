package org.kaffee.cli;

import java.nio.file.Path;
import org.kaffee.io.WorkDir;
import org.kaffee.log.Glog;
import org.kaffee.serve.Dashboard;
import org.kaffee.serve.RunsRoot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kaffee serve}: the dashboard of training runs, models and datasets. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a dashboard of the runs directory in the browser: training runs with"
        + " live loss, accuracy and learning-rate curves, speed and ETA; deploy nets with their"
        + " graph, filters and 'classify one'; Datum databases with record count, label"
        + " histogram, samples and mean image. Reads only under --runs."})
final class ServeCommand implements Runnable {
  @Option(names = "--port", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 8080;

  @Option(names = "--runs", description = "The directory served (default ${DEFAULT-VALUE}).")
  String runs = "runs";

  @Option(names = "--bind", description = "Address to listen on (default ${DEFAULT-VALUE}); any"
      + " other than the loopback needs --token.")
  String bind = "127.0.0.1";

  @Option(names = "--token", description = "A secret every API request must carry.")
  String token;

  @Override
  public void run() {
    Dashboard dashboard = Dashboard.start(new RunsRoot(WorkDir.resolve(runs)), bind, port, token);
    Glog.info("Serving %s on http://%s:%d/%s", Path.of(runs).toAbsolutePath().normalize(), bind,
        dashboard.port(), token == null ? "" : "?token=" + token);
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      dashboard.close();
    }
  }
}
