package org.kaffee.solver;

import java.util.Locale;
import org.kaffee.core.KaffeeException;

/** Where the data layers continue when a run resumes from a solverstate ({@code --resume_data}). */
public enum ResumeData {
  /** Right after the last batch the snapshot's iterations consumed, generators as they were. */
  EXACT,
  /** At the first record, generators as a fresh run seeds them: Caffe's resume. */
  RESTART;

  /** The flag's value: {@code exact} or {@code restart}. */
  public static ResumeData parse(String value) {
    for (ResumeData d : values()) {
      if (d.name().toLowerCase(Locale.ROOT).equals(value)) {
        return d;
      }
    }
    throw new KaffeeException("--resume_data: expected exact or restart, got '" + value + "'");
  }
}
