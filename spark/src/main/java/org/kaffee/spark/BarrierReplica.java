package org.kaffee.spark;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.SparkEnv;
import org.kaffee.core.KaffeeException;
import org.kaffee.io.WorkDir;
import org.kaffee.parallel.AllReduce;
import org.kaffee.solver.DataParallelTrainer;
import org.kaffee.parallel.OwnRows;
import org.kaffee.parallel.RingAllReduce;
import org.kaffee.parallel.WorkerFailedException;
import org.kaffee.proto.Caffe.SolverParameter;
import org.kaffee.solver.Solver;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task of a distributed training run: it prepares its data ({@link TaskData}),
 * listens on a free port of its executor's address, learns every task's address through
 * {@link BarrierTaskContext#allGather}, joins the TCP ring as rank {@code partitionId} and trains
 * that replica to max_iter ({@link DataParallelTrainer}). Rank 0 also connects to the driver's
 * log and control channel ({@link RankZeroChannel}) for the task's life. Returns one line: the
 * rank and the iteration it reached.
 */
final class BarrierReplica<T> extends AbstractFunction1<Iterator<T>, Iterator<String>>
    implements Serializable {
  private final TrainingJob job;
  private final TaskData<T> data;

  BarrierReplica(TrainingJob job, TaskData<T> data) {
    this.job = job;
    this.data = data;
  }

  @Override
  public Iterator<String> apply(Iterator<T> rows) {
    BarrierTaskContext context = BarrierTaskContext.get();
    int rank = context.partitionId();
    // Relative paths mean what they mean to the driver; executors see the same files (shared
    // disk) or read hdfs:// / s3a:// URIs.
    WorkDir.set(Path.of(job.workDir()));
    String host = hostOf(context.getTaskInfos()[rank].address());
    Path scratch = null;
    // rank 0 only (a null resource is skipped); in local mode its lines are the driver's already
    try (RankZeroChannel channel = rank == 0
        ? RankZeroChannel.connect(job.channel(), job.attempt(), !inDriverJvm()) : null;
        ServerSocket server = new ServerSocket()) {
      scratch = Files.createTempDirectory("kaffee-task");
      SolverParameter param = data.prepare(solver(), CollectionConverters.asJava(rows), scratch);
      server.bind(new InetSocketAddress(host, 0));
      String[] addresses = context.allGather(host + ":" + server.getLocalPort());
      List<InetSocketAddress> peers = new ArrayList<>();
      for (String a : addresses) {
        peers.add(new InetSocketAddress(hostOf(a), Integer.parseInt(a.substring(a.lastIndexOf(':') + 1))));
      }
      try (RingAllReduce ring = RingAllReduce.join(rank, server, peers, job.peerTimeout())) {
        return CollectionConverters.asScala(List.of(rank + " " + train(param, ring, rank, host, channel)).iterator());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("worker " + rank + " on " + host + ": " + e.getMessage(), e);
    } finally {
      if (scratch != null) {
        FileUtils.deleteQuietly(scratch.toFile());
      }
    }
  }

  /** Trains this replica; returns the iteration it reached. */
  private int train(SolverParameter param, RingAllReduce ring, int rank, String host,
      RankZeroChannel channel) {
    AllReduce allReduce = data.ownRows() ? new OwnRows(ring) : ring;
    Path resume = job.resume() == null ? null : WorkDir.resolve(job.resume());
    try {
      Solver solver = DataParallelTrainer.train(param, allReduce, resume, () -> {
        job.failure().check(param, job.attempt());
        return channel.nextAction();  // asked on rank 0 only, which holds the channel
      });
      int reached = solver.iter();
      solver.close();
      return reached;
    } catch (WorkerFailedException e) {
      throw e;
    } catch (RuntimeException e) {
      // whichever task Spark reports first, it names this worker and its own cause
      String cause = e.getMessage() == null ? e.toString() : e.getMessage();
      ring.abort(cause);
      throw new WorkerFailedException(rank, host, cause, e);
    }
  }

  private SolverParameter solver() {
    try {
      return SolverParameter.parseFrom(job.solver());
    } catch (InvalidProtocolBufferException e) {
      throw new KaffeeException("the solver sent to the task is damaged: " + e.getMessage(), e);
    }
  }

  /** Spark names the driver's own executor (local mode) "driver" (its constant is not public). */
  private static boolean inDriverJvm() {
    return "driver".equals(SparkEnv.get().executorId());
  }

  private static String hostOf(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }
}
