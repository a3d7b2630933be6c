package org.kaffee.spark;

import java.io.Serializable;

/**
 * Where rank 0's task reaches the driver's log and control channel ({@link DriverChannel}), and
 * the job's secret it must present first. The protocol is UTF-8 text lines of at most
 * {@link ChannelIo#MAX_LINE} bytes: the task sends {@code TOKEN ATTEMPT}, then every glog
 * line rank 0 writes; the driver sends {@code stop} or {@code snapshot} when a signal asks for it.
 */
record ChannelAddress(String host, int port, String token) implements Serializable {
  @Override
  public String toString() {
    return host + ":" + port;  // never the token: this lands in logs
  }
}
