package dev.meshid.policies.authz;

import java.util.Locale;

/**
 * Istio's string match on a region of a string: exact, {@code prefix*}, {@code *suffix}, or
 * {@code *} (present). Works on regions so that evaluation need not cut substrings.
 *
 * <p>One final class with a kind switch rather than a sealed hierarchy: evaluation calls this in
 * its innermost loop, and a single receiver class keeps that call monomorphic and inlined.
 */
public final class StringMatcher {
  /** The closed set of match kinds. */
  public enum Kind { EXACT, PREFIX, SUFFIX, PRESENT }

  private final Kind kind;
  private final String value;
  private final boolean ignoreCase;

  private StringMatcher(Kind kind, String value, boolean ignoreCase) {
    this.kind = kind;
    this.value = value;
    this.ignoreCase = ignoreCase;
  }

  /**
   * Compiles one value. A {@code *} anywhere but the ends is taken literally, as Istio does.
   *
   * @param ignoreCase compare without regard to case (hosts)
   */
  public static StringMatcher compile(String value, boolean ignoreCase) {
    String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
    if (v.equals("*")) {
      return new StringMatcher(Kind.PRESENT, "", ignoreCase);
    }
    if (v.startsWith("*")) {
      return new StringMatcher(Kind.SUFFIX, v.substring(1), ignoreCase);
    }
    if (v.endsWith("*")) {
      return new StringMatcher(Kind.PREFIX, v.substring(0, v.length() - 1), ignoreCase);
    }
    return new StringMatcher(Kind.EXACT, v, ignoreCase);
  }

  public Kind kind() {
    return kind;
  }

  /** The value without its {@code *}: the whole value, the prefix or the suffix. */
  String value() {
    return value;
  }

  boolean ignoresCase() {
    return ignoreCase;
  }

  /** Whether {@code s[start, end)} matches; presence is the caller's check. */
  public boolean matches(String s, int start, int end) {
    int n = value.length();
    return switch (kind) {
      case EXACT -> end - start == n && s.regionMatches(ignoreCase, start, value, 0, n);
      case PREFIX -> end - start >= n && s.regionMatches(ignoreCase, start, value, 0, n);
      case SUFFIX -> end - start >= n && s.regionMatches(ignoreCase, end - n, value, 0, n);
      case PRESENT -> true;
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case EXACT -> value;
      case PREFIX -> value + "*";
      case SUFFIX -> "*" + value;
      case PRESENT -> "*";
    };
  }
}
