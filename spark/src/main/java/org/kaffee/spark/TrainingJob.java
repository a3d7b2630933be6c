package org.kaffee.spark;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the driver sends to each barrier task of one attempt: the solver (as bytes: the
 * generated protobuf classes need no Java serialization), the driver's working directory
 * (relative paths in the prototxts are resolved against it, as one process would), the state
 * to resume from (and whether to read past the data its iterations consumed: yes when this run
 * wrote it, as a retry continues; no for a user's --snapshot, as Caffe), how long a task
 * waits for a peer, and where rank 0 reaches the driver's log and control channel.
 */
record TrainingJob(byte[] solver, String workDir, String resume, boolean replayData, int attempt,
    long peerTimeoutMillis, FailurePlan failure, ChannelAddress channel) implements Serializable {

  Duration peerTimeout() {
    return Duration.ofMillis(peerTimeoutMillis);
  }
}
