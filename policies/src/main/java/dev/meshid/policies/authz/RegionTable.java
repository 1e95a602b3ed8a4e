package dev.meshid.policies.authz;

import java.util.Map;

/**
 * An immutable hash table from strings to bit sets that is looked up by a region of another string,
 * so that an index lookup cuts no substring. The region hash is {@link String#hashCode()}'s formula,
 * so the keys' cached hashes serve for building.
 */
final class RegionTable {
  private final String[] keys;
  private final long[][] values;
  private final int mask;

  RegionTable(Map<String, long[]> entries) {
    int size = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
    keys = new String[size];
    values = new long[size][];
    mask = size - 1;
    for (Map.Entry<String, long[]> e : entries.entrySet()) {
      int i = spread(e.getKey().hashCode()) & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = e.getKey();
      values[i] = e.getValue();
    }
  }

  /** The bits stored for {@code s[start, end)}, or null. */
  long[] get(String s, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + s.charAt(i);
    }
    int n = end - start;
    for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
      String k = keys[i];
      if (k == null) {
        return null;
      }
      if (k.length() == n && s.regionMatches(start, k, 0, n)) {
        return values[i];
      }
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
