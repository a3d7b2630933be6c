package org.kaffee.parallel;

/** The all-reduce of a run with one replica: every operation leaves its buffer as it is. */
public final class SingleProcess implements AllReduce {
  public static final SingleProcess INSTANCE = new SingleProcess();

  private SingleProcess() {
  }

  @Override
  public int rank() {
    return 0;
  }

  @Override
  public int size() {
    return 1;
  }

  @Override
  public void average(float[] buffer) {
  }

  @Override
  public void sum(double[] values) {
  }

  @Override
  public void broadcast(float[] buffer) {
  }

  @Override
  public void close() {
  }
}
