package dev.meshid.policies.authz;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The policies guarded by one string attribute, by the kind of value that guards them: exact values
 * by hash, prefixes and suffixes by hash of the request's leading or trailing region of each length
 * in use, presence as a plain set. A lookup ORs the bits of every policy the request could match.
 */
final class AttributeIndex {
  private final Attribute attribute;
  private final RegionTable exact;
  private final RegionTable prefixes;
  private final int[] prefixLengths;
  private final RegionTable suffixes;
  private final int[] suffixLengths;
  private final long[] present;

  private AttributeIndex(Attribute attribute, Map<String, long[]> exact, Map<String, long[]> prefixes,
      Map<String, long[]> suffixes, long[] present) {
    this.attribute = attribute;
    this.exact = new RegionTable(exact);
    this.prefixes = new RegionTable(prefixes);
    this.prefixLengths = lengths(prefixes);
    this.suffixes = new RegionTable(suffixes);
    this.suffixLengths = lengths(suffixes);
    this.present = present;
  }

  Attribute attribute() {
    return attribute;
  }

  /** ORs into {@code out} the policies whose guard on this attribute the request meets. */
  void addCandidates(EvalContext c, long[] out) {
    String s = c.text(attribute, null);
    if (s == null) {
      return;
    }
    int start = c.start(attribute);
    int end = c.end(attribute, s);
    or(out, present);
    or(out, exact.get(s, start, end));
    int n = end - start;
    for (int len : prefixLengths) {
      if (len > n) {
        break;
      }
      or(out, prefixes.get(s, start, start + len));
    }
    for (int len : suffixLengths) {
      if (len > n) {
        break;
      }
      or(out, suffixes.get(s, end - len, end));
    }
  }

  private static void or(long[] out, long[] bits) {
    if (bits != null) {
      for (int i = 0; i < out.length; i++) {
        out[i] |= bits[i];
      }
    }
  }

  private static int[] lengths(Map<String, long[]> byValue) {
    return new TreeSet<>(byValue.keySet().stream().map(String::length).toList())
        .stream().mapToInt(Integer::intValue).toArray();
  }

  /** Collects guards policy by policy, then builds the index. */
  static final class Builder {
    private final Attribute attribute;
    private final int words;
    private final Map<String, long[]> exact = new HashMap<>();
    private final Map<String, long[]> prefixes = new HashMap<>();
    private final Map<String, long[]> suffixes = new HashMap<>();
    private final long[] present;
    private boolean used;

    Builder(Attribute attribute, int policies) {
      this.attribute = attribute;
      this.words = (policies + 63) >>> 6;
      this.present = new long[words];
    }

    /** Records that policy {@code index} can match only where one of {@code guard} matches. */
    void add(int index, Iterable<StringMatcher> guard) {
      used = true;
      for (StringMatcher m : guard) {
        long[] bits = switch (m.kind()) {
          case EXACT -> exact.computeIfAbsent(m.value(), k -> new long[words]);
          case PREFIX -> prefixes.computeIfAbsent(m.value(), k -> new long[words]);
          case SUFFIX -> suffixes.computeIfAbsent(m.value(), k -> new long[words]);
          case PRESENT -> present;
        };
        bits[index >>> 6] |= 1L << index;
      }
    }

    /** The index, or null when no policy was added. */
    AttributeIndex build() {
      return used ? new AttributeIndex(attribute, exact, prefixes, suffixes, present) : null;
    }
  }
}
