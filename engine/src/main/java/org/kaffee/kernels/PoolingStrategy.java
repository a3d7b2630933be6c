package org.kaffee.kernels;

import org.kaffee.proto.Caffe.PoolingParameter.PoolMethod;
import org.nd4j.linalg.api.buffer.DataType;

/** The named ways of computing a pooling; a layer picks one with {@link #choose}. */
public enum PoolingStrategy {
  /** Java loops over Caffe's windows: every method, the mask top, every precision; the reference. */
  JAVA_LOOPS,
  /**
   * ND4J's native maxpool2d / avgpool2d ops over the windows that floor rounding gives (they are
   * Caffe's windows, and none reaches past {@code H + pad}, so AVE divides by the whole kernel);
   * the Java loops compute the extra last row and column that ceil rounding adds. MAX and AVE
   * without the mask top; the MAX backward recomputes the argmax from the bottom.
   */
  NATIVE_OPS,
  /**
   * oneDNN's primitives kept between calls, the batch in two parts on the cores, on channel
   * blocks where the machine's JIT kernels need them: float32 MAX without the mask top, and
   * AVE where oneDNN has Caffe's divisor ({@link DnnlPooling#serves}).
   */
  DNNL;

  /**
   * Whether this strategy computes {@code method} with ({@code maskTop}) or without the argmax
   * top, in {@code type}, over windows of {@code shape}.
   */
  public boolean supports(PoolMethod method, boolean maskTop, DataType type, PoolingShape shape) {
    return switch (this) {
      case JAVA_LOOPS -> true;
      case NATIVE_OPS -> !maskTop && (method == PoolMethod.MAX || method == PoolMethod.AVE);
      case DNNL -> !maskTop && type == DataType.FLOAT && DnnlPooling.serves(method, shape);
    };
  }

  /**
   * The kept oneDNN primitives where they apply (LeNet's pool1 forward and backward: 2.1 ms with
   * ND4J's ops, 1.5 with the primitives; ND4J's AVE op runs oneDNN's reference loop on AVX2),
   * else the native ops (3-20x faster than the loops).
   */
  public static PoolingStrategy choose(PoolMethod method, boolean maskTop, DataType type, PoolingShape shape) {
    if (DNNL.supports(method, maskTop, type, shape)) {
      return DNNL;
    }
    return NATIVE_OPS.supports(method, maskTop, type, shape) ? NATIVE_OPS : JAVA_LOOPS;
  }
}
