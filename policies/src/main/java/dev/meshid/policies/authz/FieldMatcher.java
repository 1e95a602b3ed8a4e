package dev.meshid.policies.authz;

import java.util.Arrays;

/**
 * One compiled policy field or condition: true when the attribute matches any of the values, or,
 * when {@code negate} (the {@code not*} forms, {@code notValues}), when it matches none. A missing
 * attribute matches no value, so its negated form matches.
 */
public sealed interface FieldMatcher {

  /** Whether the request satisfies this field. */
  boolean matches(EvalContext c);

  /** Whether the field exists only for HTTP (dropped or ignored on TCP). */
  boolean httpOnly();

  /** A string attribute against string patterns. */
  record Strings(Attribute attribute, String headerName, StringMatcher[] values, boolean negate)
      implements FieldMatcher {
    @Override
    public boolean matches(EvalContext c) {
      String s = c.text(attribute, headerName);
      boolean hit = false;
      if (s != null) {
        int start = c.start(attribute);
        int end = c.end(attribute, s);
        for (StringMatcher m : values) {
          if (m.matches(s, start, end)) {
            hit = true;
            break;
          }
        }
      }
      return hit != negate;
    }

    @Override
    public boolean httpOnly() {
      return attribute.httpOnly();
    }

    @Override
    public String toString() {
      return (negate ? "not " : "") + attribute + (headerName == null ? "" : "[" + headerName + "]")
          + Arrays.toString(values);
    }
  }

  /** The source or remote address against CIDR blocks. */
  record Cidrs(boolean remote, CidrBlock[] blocks, boolean negate) implements FieldMatcher {
    @Override
    public boolean matches(EvalContext c) {
      byte[] ip = remote ? c.remoteIp() : c.sourceIp();
      boolean hit = false;
      for (CidrBlock b : blocks) {
        if (b.contains(ip)) {
          hit = true;
          break;
        }
      }
      return hit != negate;
    }

    @Override
    public boolean httpOnly() {
      return false;
    }
  }

  /** The destination port against a set of ports. */
  record Ports(int[] ports, boolean negate) implements FieldMatcher {
    @Override
    public boolean matches(EvalContext c) {
      int port = c.request.destinationPort();
      boolean hit = false;
      for (int p : ports) {
        if (p == port) {
          hit = true;
          break;
        }
      }
      return hit != negate;
    }

    @Override
    public boolean httpOnly() {
      return false;
    }
  }

  /**
   * An attribute meshid never has (request principals and claims: meshid validates no JWT), so
   * the field never matches and its negated form always does.
   */
  record Absent(String what, boolean negate) implements FieldMatcher {
    @Override
    public boolean matches(EvalContext c) {
      return negate;
    }

    @Override
    public boolean httpOnly() {
      return true;
    }
  }
}
