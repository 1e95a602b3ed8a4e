package dev.meshid.policies.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshid.policies.PolicyLoadException;
import dev.meshid.policies.PolicySet;
import dev.meshid.policies.model.PolicyResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads Istio policy YAML: one file (several documents separated by {@code ---}) or a directory of
 * {@code *.yaml} / {@code *.yml} files. Directories are read one level deep, in name order, skipping
 * dot-files, so a mounted ConfigMap ({@code ..data} links) is read once.
 */
public final class PolicyYamlLoader {
  private final ObjectMapper mapper;

  public PolicyYamlLoader() {
    this.mapper = new ObjectMapper(new YAMLFactory())
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Loads a file or directory and compiles it into a {@link PolicySet}.
   *
   * @throws PolicyLoadException for the first problem found, naming file, resource and field
   */
  public PolicySet loadPolicySet(Path fileOrDirectory, String rootNamespace) {
    List<PolicyResource> resources = load(fileOrDirectory);
    try {
      return PolicySet.of(resources, rootNamespace);
    } catch (IllegalArgumentException e) {
      throw new PolicyLoadException(fileOrDirectory.toString(), null, null, e.getMessage(), e);
    }
  }

  /**
   * Loads every policy resource in a file or a directory.
   *
   * @throws PolicyLoadException for the first problem found
   */
  public List<PolicyResource> load(Path fileOrDirectory) {
    if (!Files.isDirectory(fileOrDirectory)) {
      return loadFile(fileOrDirectory);
    }
    List<PolicyResource> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(fileOrDirectory)) {
      for (Path f : files.filter(PolicyYamlLoader::isYaml).sorted().toList()) {
        out.addAll(loadFile(f));
      }
    } catch (IOException e) {
      throw new PolicyLoadException(fileOrDirectory.toString(), null, null, "cannot list directory: " + e, e);
    }
    return out;
  }

  /** Loads one file. */
  public List<PolicyResource> loadFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException | UncheckedIOException e) {
      throw new PolicyLoadException(file.toString(), null, null, "cannot read: " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses YAML text.
   *
   * @param origin the name used in messages, usually the file name
   */
  public List<PolicyResource> parse(String yaml, String origin) {
    List<PolicyResource> out = new ArrayList<>();
    int document = 0;
    try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNextValue()) {
        document++;
        out.addAll(ResourceConverter.convert(docs.nextValue(), origin, document));
      }
    } catch (JsonProcessingException e) {
      throw new PolicyLoadException(origin, at(e.getLocation()), null, "invalid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new PolicyLoadException(origin, null, null, "cannot parse: " + e, e);
    }
    return out;
  }

  private static String at(JsonLocation l) {
    return l == null ? null : "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }

  private static boolean isYaml(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(p);
  }
}
