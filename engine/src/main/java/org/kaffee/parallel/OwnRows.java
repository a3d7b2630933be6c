package org.kaffee.parallel;

import org.kaffee.core.Shard;

/**
 * An all-reduce whose replicas were each handed their own rows (a DataFrame's partitions): the
 * same collectives, but every replica's data layers read all of their data.
 */
public final class OwnRows implements AllReduce {
  private final AllReduce transport;

  public OwnRows(AllReduce transport) {
    this.transport = transport;
  }

  @Override
  public Shard dataShard() {
    return Shard.WHOLE;
  }

  @Override
  public int rank() {
    return transport.rank();
  }

  @Override
  public int size() {
    return transport.size();
  }

  @Override
  public void average(float[] buffer) {
    transport.average(buffer);
  }

  @Override
  public void sum(double[] values) {
    transport.sum(values);
  }

  @Override
  public void broadcast(float[] buffer) {
    transport.broadcast(buffer);
  }

  @Override
  public void close() {
    transport.close();
  }
}
