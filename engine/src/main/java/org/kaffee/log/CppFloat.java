package org.kaffee.log;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Formats numbers the way a C++ stream prints a float by default (6 significant digits,
 * %g style: "0.1", "2.30259", "1e-05", "1e+06"), so Kaffee's log lines read like Caffe's.
 */
public final class CppFloat {
  private CppFloat() {
  }

  public static String format(double v) {
    return format(v, 6);
  }

  public static String format(double v, int precision) {
    if (Double.isNaN(v)) {
      return v < 0 ? "-nan" : "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return (1 / v < 0) ? "-0" : "0";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(precision));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= precision) {
      BigDecimal mantissa = rounded.movePointLeft(exponent);
      String m = trim(mantissa.toPlainString());
      String sign = exponent < 0 ? "-" : "+";
      int e = Math.abs(exponent);
      return m + "e" + sign + (e < 10 ? "0" : "") + e;
    }
    return trim(rounded.toPlainString());
  }

  private static String trim(String s) {
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    if (s.charAt(end - 1) == '.') {
      end--;
    }
    return s.substring(0, end);
  }
}
