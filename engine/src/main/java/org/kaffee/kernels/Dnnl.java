package org.kaffee.kernels;

import org.kaffee.core.OpThreads;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_scratchpad_mode;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_exec_arg_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_scratchpad_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_scratchpad_mode_user;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.lang.ref.Cleaner;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.kaffee.core.KaffeeException;

/**
 * oneDNN's C API through JavaCPP's dnnl preset: plain-layout descriptors and primitives that are
 * created once per shape and kept. ND4J's oneDNN ops build their descriptors, primitive and
 * op context on every call and run one op at a time; a kept primitive runs at the kernel's own
 * speed, and two of them (a batch's halves) run on two threads at once. Each primitive has its
 * own stream and user-managed scratchpad, so one thread at a time may run it.
 */
final class Dnnl {
  private static final dnnl_engine ENGINE = engine();
  private static final Cleaner CLEANER = Cleaner.create();

  private Dnnl() {
  }

  private static dnnl_engine engine() {
    dnnl_engine engine = new dnnl_engine();
    check(dnnl_engine_create(engine, dnnl_cpu, 0), "create its CPU engine");
    return engine;
  }

  static void check(int status, String what) {
    if (status != dnnl_success) {
      throw new KaffeeException("oneDNN could not " + what + " (status " + status + ")");
    }
  }

  /** A float32 memory descriptor of {@code dims} in the plain layout {@code tag} (nchw, goihw, x...). */
  static dnnl_memory_desc_t desc(int tag, long... dims) {
    dnnl_memory_desc_t d = new dnnl_memory_desc_t();
    check(dnnl_memory_desc_init_by_tag(d, dims.length, dims, dnnl_f32, tag), "describe a tensor");
    return d;
  }

  /** A float32 descriptor of {@code dims} whose layout the primitive using it chooses. */
  static dnnl_memory_desc_t anyLayout(long... dims) {
    return desc(dnnl_format_tag_any, dims);
  }

  /** The bytes a tensor of this descriptor takes, blocks' padding included. */
  static long bytes(dnnl_memory_desc_t d) {
    return dnnl_memory_desc_get_size(d);
  }

  static boolean sameLayout(dnnl_memory_desc_t a, dnnl_memory_desc_t b) {
    return dnnl_memory_desc_equal(a, b) != 0;
  }

  /**
   * The implementation oneDNN would run for the forward {@code op} (its verbose log's name:
   * {@code jit:avx2}, {@code simple_nchw:any}, ...), found without creating the primitive.
   */
  static String implementation(Pointer op) {
    dnnl_primitive_desc desc = new dnnl_primitive_desc();
    check(dnnl_primitive_desc_create(desc, new const_dnnl_op_desc_t(op), null, ENGINE, null), "find a kernel");
    try {
      return implementation(desc);
    } finally {
      dnnl_primitive_desc_destroy(desc);
    }
  }

  private static String implementation(dnnl_primitive_desc desc) {
    PointerPointer<BytePointer> name = new PointerPointer<>(1);
    check(dnnl_primitive_desc_query(desc, dnnl_query_impl_info_str, 0, name), "name a kernel");
    return name.getString(0);
  }

  /** Whether an implementation is one of oneDNN's reference loops (ref:any, simple_nchw:any, ...), not a JIT kernel. */
  static boolean isReference(String implementation) {
    return implementation.startsWith("ref") || implementation.contains(":ref") || implementation.startsWith("simple");
  }

  /** A kept primitive with one memory per execution argument, whose addresses each run sets. */
  static final class Primitive {
    private final dnnl_primitive_desc desc = new dnnl_primitive_desc();
    private final dnnl_primitive primitive = new dnnl_primitive();
    private final dnnl_stream stream = new dnnl_stream();
    private final int[] argKinds;
    private final dnnl_memory[] memories;
    private final dnnl_exec_arg_t args;
    private final BytePointer scratchpad;

    /**
     * The primitive of {@code op} (a forward's {@code hint} for a backward one; null for a
     * forward) taking the arguments {@code argKinds} (DNNL_ARG_SRC, ...), in that order in {@link #run}.
     */
    Primitive(Pointer op, dnnl_primitive_desc hint, int... argKinds) {
      this(argKinds, (desc, attr) -> check(dnnl_primitive_desc_create(desc, new const_dnnl_op_desc_t(op), attr,
          ENGINE, hint), "find a kernel for a layer"));
    }

    /** A copy of a tensor from one layout into another (arguments DNNL_ARG_FROM, DNNL_ARG_TO). */
    static Primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
      return new Primitive(new int[] {DNNL_ARG_FROM, DNNL_ARG_TO}, (desc, attr) -> check(
          dnnl_reorder_primitive_desc_create(desc, from, ENGINE, to, ENGINE, attr), "find a reorder"));
    }

    private interface Describer {
      void describe(dnnl_primitive_desc desc, dnnl_primitive_attr attr);
    }

    private Primitive(int[] argKinds, Describer describer) {
      // oneDNN plans a kernel's threads when it creates it, from the creating thread's OpenMP
      // count: a net is built before its first pass sets that count, and a kernel planned for
      // two threads started OpenMP threads of its own beside Parallel's on every call
      OpThreads.applyToCurrentThread();
      dnnl_primitive_attr attr = new dnnl_primitive_attr();
      check(dnnl_primitive_attr_create(attr), "create an attribute");
      try {
        check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set the scratchpad mode");
        describer.describe(desc, attr);
      } finally {
        dnnl_primitive_attr_destroy(attr);
      }
      this.argKinds = argKinds.clone();
      memories = new dnnl_memory[argKinds.length + 1];
      args = new dnnl_exec_arg_t(memories.length);
      dnnl_memory_desc_t scratch = dnnl_primitive_desc_query_md(desc, dnnl_query_scratchpad_md, 0);
      scratchpad = new BytePointer(Math.max(1, dnnl_memory_desc_get_size(scratch)));
      for (int i = 0; i < memories.length; i++) {
        boolean isScratch = i == argKinds.length;
        int kind = isScratch ? DNNL_ARG_SCRATCHPAD : argKinds[i];
        memories[i] = new dnnl_memory();
        dnnl_memory_desc_t md = isScratch ? scratch : dnnl_primitive_desc_query_md(desc, dnnl_query_exec_arg_md, kind);
        check(dnnl_memory_create(memories[i], md, ENGINE, isScratch ? scratchpad : null), "create a memory");
        args.position(i).arg(kind).memory(memories[i]);
      }
      args.position(0);
      check(dnnl_primitive_create(primitive, desc), "create a primitive");
      check(dnnl_stream_create(stream, ENGINE, dnnl_stream_default_flags), "create a stream");
      CLEANER.register(this, new Release(primitive, desc, stream, memories));
    }

    dnnl_primitive_desc desc() {
      return desc;
    }

    /** The implementation oneDNN chose, as its verbose log names it. */
    String implementation() {
      return Dnnl.implementation(desc);
    }

    /** The layout the primitive chose for one argument (DNNL_ARG_DST, ...). */
    dnnl_memory_desc_t layoutOf(int argKind) {
      return dnnl_primitive_desc_query_md(desc, dnnl_query_exec_arg_md, argKind);
    }

    /** Runs the primitive on the calling thread over the given addresses, one per argument kind. */
    void run(Pointer... addresses) {
      for (int i = 0; i < argKinds.length; i++) {
        check(dnnl_memory_set_data_handle(memories[i], addresses[i]), "set a memory's address");
      }
      check(dnnl_primitive_execute(primitive, stream, memories.length, args), "run a primitive");
      check(dnnl_stream_wait(stream), "wait for a primitive");
    }
  }

  /** Frees a primitive's native objects once nothing reaches it (the scratchpad frees itself). */
  private record Release(dnnl_primitive primitive, dnnl_primitive_desc desc, dnnl_stream stream,
      dnnl_memory[] memories) implements Runnable {
    @Override
    public void run() {
      dnnl_primitive_destroy(primitive);
      dnnl_primitive_desc_destroy(desc);
      dnnl_stream_destroy(stream);
      for (dnnl_memory m : memories) {
        dnnl_memory_destroy(m);
      }
    }
  }
}
