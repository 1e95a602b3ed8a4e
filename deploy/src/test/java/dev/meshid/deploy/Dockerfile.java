package dev.meshid.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read as text: comments dropped, continuation lines joined, one instruction per entry. Enough
 * to check what these images declare; it is not a full Dockerfile parser (no variables, no heredocs).
 */
record Dockerfile(Path file, List<Instruction> instructions) {
    record Instruction(String keyword, String args) {
    }

    static Dockerfile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String full = current.toString().strip();
            current.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int sp = full.indexOf(' ');
            out.add(new Instruction(full.substring(0, sp).toUpperCase(Locale.ROOT), full.substring(sp + 1).strip()));
        }
        return new Dockerfile(file, List.copyOf(out));
    }

    /** Instructions of the final (runtime) stage: after the last FROM. */
    List<Instruction> runtimeStage() {
        int last = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                last = i;
            }
        }
        return instructions.subList(last, instructions.size());
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** The last value of an instruction in the runtime stage (the one that takes effect). */
    String last(String keyword) {
        List<String> v = runtimeStage().stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
        if (v.isEmpty()) {
            throw new AssertionError(file.getFileName() + " has no " + keyword + " in its runtime stage");
        }
        return v.get(v.size() - 1);
    }

    /** An exec-form (JSON array) argument list. */
    static List<String> execForm(String args) {
        try {
            return Arrays.asList(Manifests.JSON.readValue(args, String[].class));
        } catch (IOException e) {
            throw new AssertionError("not an exec-form JSON array: " + args, e);
        }
    }
}
