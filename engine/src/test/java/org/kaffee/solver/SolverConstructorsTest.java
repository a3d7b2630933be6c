package org.kaffee.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * No solver constructor calls a method a subclass can override (it would run on an object
 * whose subclass fields are not set yet). Read from the compiled classes with the JDK's javap:
 * every call a constructor makes on its own class hierarchy, and the calls of the private
 * methods it reaches, must go to private, static or final methods.
 */
class SolverConstructorsTest {
  private static final List<Class<?>> SOLVERS = List.of(Solver.class, GradientSolver.class, SgdSolver.class,
      NesterovSolver.class, AdaGradSolver.class, RmsPropSolver.class, AdaDeltaSolver.class, AdamSolver.class);
  /** A call in javap's listing: the kind, then the owner (absent for the class itself) and the name. */
  private static final Pattern CALL = Pattern.compile(
      "invoke(virtual|interface|special|static)\\s.*// (?:Interface)?Method (?:([\\w/$]+)\\.)?(\"?[\\w<>$]+\"?):");
  /** A method or constructor heading: modifiers and type, then the name before its parameters. */
  private static final Pattern MEMBER = Pattern.compile("^  (?:[^ (][^(]* )?([\\w.$]+)\\(.*\\)[^()]*;$");

  @Test
  void constructorsCallNoOverridableMethod() {
    List<String> calls = new ArrayList<>();
    for (Class<?> solver : SOLVERS) {
      calls.addAll(overridableCallsFromConstructors(solver));
    }
    assertEquals(List.of(), calls, "constructors that call methods a subclass may override");
  }

  @Test
  void theCheckFindsAVirtualCallInAConstructor() {
    assertEquals(List.of(Example.class.getName() + "(): hook"), overridableCallsFromConstructors(Example.class));
  }

  /** Calls an overridable method through a private one, as a constructor must not. */
  static class Example {
    Example() {
      setUp();
    }

    private void setUp() {
      hook();
    }

    protected void hook() {
    }
  }

  private static List<String> overridableCallsFromConstructors(Class<?> type) {
    Map<String, List<String>> bodies = methodBodies(type);
    List<String> found = new ArrayList<>();
    Deque<String> toRead = new ArrayDeque<>();
    Set<String> read = new HashSet<>();
    toRead.add(type.getName());
    while (!toRead.isEmpty()) {
      String method = toRead.pop();
      if (!read.add(method)) {
        continue;
      }
      for (String line : bodies.getOrDefault(method, List.of())) {
        Matcher m = CALL.matcher(line);
        if (!m.find() || m.group(1).equals("static")) {
          continue;
        }
        String owner = m.group(2) == null ? type.getName() : m.group(2).replace('/', '.');
        String name = m.group(3);
        if (!inHierarchy(type, owner) || name.equals("\"<init>\"")) {
          continue;
        }
        Method target = find(type, name);
        int modifiers = target.getModifiers();
        if (Modifier.isPrivate(modifiers) && target.getDeclaringClass() == type) {
          toRead.add(name);
        } else if (!Modifier.isFinal(modifiers) && !Modifier.isStatic(modifiers)
            && !Modifier.isFinal(target.getDeclaringClass().getModifiers())) {
          found.add(type.getName() + "(): " + name);
        }
      }
    }
    return found;
  }

  private static boolean inHierarchy(Class<?> type, String owner) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(owner)) {
        return true;
      }
    }
    return false;
  }

  private static Method find(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name)) {
          return m;
        }
      }
    }
    throw new AssertionError(type.getName() + " has no method " + name);
  }

  /** The bytecode listing of each method and constructor of {@code type}, by name. */
  private static Map<String, List<String>> methodBodies(Class<?> type) {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow(
        () -> new AssertionError("the JDK's javap tool is missing: run the tests on a JDK"));
    StringWriter out = new StringWriter();
    int code = javap.run(new PrintWriter(out), new PrintWriter(out), "-c", "-p",
        "-cp", System.getProperty("java.class.path"), type.getName());
    assertEquals(0, code, out.toString());
    Map<String, List<String>> bodies = new LinkedHashMap<>();
    List<String> current = null;
    for (String line : out.toString().split("\n")) {
      Matcher member = MEMBER.matcher(line);
      if (member.matches()) {
        current = bodies.computeIfAbsent(member.group(1), k -> new ArrayList<>());
      } else if (current != null) {
        current.add(line);
      }
    }
    assertTrue(bodies.containsKey(type.getName()), "no constructor found in javap's listing of " + type);
    return bodies;
  }
}
