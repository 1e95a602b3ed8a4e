package dev.meshid.policies.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON tree node and its field path, read strictly: every type mismatch is a {@link FieldError}. */
final class Node {
  final JsonNode json;
  final String path;

  Node(JsonNode json, String path) {
    this.json = json;
    this.path = path;
  }

  boolean missing() {
    return json == null || json.isMissingNode() || json.isNull();
  }

  Node field(String name) {
    return new Node(missing() ? null : json.get(name), path.isEmpty() ? name : path + "." + name);
  }

  FieldError error(String message) {
    return new FieldError(path, message);
  }

  /** Requires an object (or nothing) whose fields are all in {@code allowed}. */
  Node object(List<String> allowed) {
    if (missing()) {
      return this;
    }
    if (!json.isObject()) {
      throw error("expected an object, got " + describe(json));
    }
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) {
        throw field(name).error("unknown field (expected one of: " + String.join(", ", allowed) + ")");
      }
    }
    return this;
  }

  /** A string, or null when absent. */
  String string() {
    if (missing()) {
      return null;
    }
    if (!json.isTextual()) {
      throw error("expected a string, got " + describe(json));
    }
    return json.textValue();
  }

  String requiredString() {
    String s = string();
    if (s == null || s.isEmpty()) {
      throw error("required");
    }
    return s;
  }

  /** A list of strings; empty when absent. */
  List<String> strings() {
    if (missing()) {
      return List.of();
    }
    if (!json.isArray()) {
      throw error("expected a list of strings, got " + describe(json));
    }
    List<String> out = new ArrayList<>(json.size());
    for (JsonNode e : json) {
      if (!e.isTextual()) {
        throw error("expected a list of strings, got an element that is " + describe(e));
      }
      out.add(e.textValue());
    }
    return out;
  }

  /** The elements of a list; empty when absent. */
  List<Node> list() {
    if (missing()) {
      return List.of();
    }
    if (!json.isArray()) {
      throw error("expected a list, got " + describe(json));
    }
    List<Node> out = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(json.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** A map of string to string (labels); empty when absent. */
  Map<String, String> stringMap() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Node> e : entries().entrySet()) {
      if (!e.getValue().json.isTextual()) {
        throw error("expected a map of strings, got " + describe(e.getValue().json) + " for '" + e.getKey() + "'");
      }
      out.put(e.getKey(), e.getValue().json.textValue());
    }
    return out;
  }

  /** The fields of an object, as child nodes; empty when absent. */
  Map<String, Node> entries() {
    if (missing()) {
      return Map.of();
    }
    if (!json.isObject()) {
      throw error("expected an object, got " + describe(json));
    }
    Map<String, Node> out = new LinkedHashMap<>();
    json.fields().forEachRemaining(e -> out.put(e.getKey(), field(e.getKey())));
    return out;
  }

  static String describe(JsonNode n) {
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "a list";
      case OBJECT, POJO -> "an object";
      case NULL, MISSING -> "nothing";
      case BINARY -> "binary data";
    };
  }
}
