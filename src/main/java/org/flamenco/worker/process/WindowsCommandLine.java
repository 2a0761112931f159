package org.flamenco.worker.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Windows needs from an argument list and an environment, as pure functions (tested on any OS): the single
 * command line {@code CreateProcessW} takes, quoted so that the Microsoft C runtime's argument parsing (what
 * Blender, FFmpeg and most programs use) gives back the same words; a batch file's line for {@code cmd.exe}; and
 * the environment block.
 */
final class WindowsCommandLine {
    private WindowsCommandLine() {
    }

    /** {@code argv} joined as one command line, each word quoted where the C runtime needs it. */
    static String join(List<String> argv) {
        StringBuilder line = new StringBuilder();
        for (String word : argv) {
            if (line.length() > 0) {
                line.append(' ');
            }
            quote(word, line);
        }
        return line.toString();
    }

    /**
     * Appends {@code word}: as is when it has no space, tab, newline or quote and is not empty; otherwise in quotes,
     * with quotes escaped and backslashes doubled where they precede a quote (the C runtime's rule).
     */
    static void quote(String word, StringBuilder line) {
        if (!word.isEmpty() && word.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '\n' || c == '\u000b'
                || c == '"')) {
            line.append(word);
            return;
        }
        line.append('"');
        int backslashes = 0;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '\\') {
                backslashes++;
                continue;
            }
            if (c == '"') {
                line.append("\\".repeat(backslashes * 2 + 1));
            } else {
                line.append("\\".repeat(backslashes));
            }
            backslashes = 0;
            line.append(c);
        }
        line.append("\\".repeat(backslashes * 2)).append('"');
    }

    /**
     * The suffixes tried after a bare program name: those of {@code pathext} ({@code PATHEXT}) in lower case, or
     * {@code .com .exe .bat .cmd} (Windows' default) when it lists none.
     */
    static List<String> executableSuffixes(String pathext) {
        List<String> found = new ArrayList<>();
        for (String s : pathext.split(";")) {
            String suffix = s.strip().toLowerCase(Locale.ROOT);
            if (suffix.startsWith(".") && suffix.length() > 1 && !found.contains(suffix)) {
                found.add(suffix);
            }
        }
        return found.isEmpty() ? List.of(".com", ".exe", ".bat", ".cmd") : found;
    }

    /** True for a program {@code CreateProcessW} runs through {@code cmd.exe}: {@code .bat} and {@code .cmd}. */
    static boolean isBatchFile(String program) {
        String lower = program.toLowerCase(Locale.ROOT);
        return lower.endsWith(".bat") || lower.endsWith(".cmd");
    }

    /**
     * The {@code cmd.exe /d /s /c "..."} line for a batch file. {@code cmd.exe} has parsing rules of its own
     * ({@code %VAR%} expands even inside quotes), so an argument with {@code "}, {@code %}, {@code !} or a line
     * break is refused instead of being passed on in a form it would reinterpret.
     *
     * @throws IOException names the argument
     */
    static String batchLine(String comSpec, List<String> argv) throws IOException {
        List<String> words = new ArrayList<>();
        for (String arg : argv) {
            if (arg.chars().anyMatch(c -> c == '"' || c == '%' || c == '!' || c == '\n' || c == '\r')) {
                throw new IOException("Cannot run batch file \"" + argv.get(0) + "\" with argument \"" + arg
                        + "\": cmd.exe would reinterpret \", %, ! or a line break; use an .exe");
            }
            words.add(arg.isEmpty() || arg.chars().anyMatch(c -> " \t&|<>^(),;=".indexOf(c) >= 0)
                    ? "\"" + arg + "\"" : arg);
        }
        return join(List.of(comSpec)) + " /d /s /c \"" + String.join(" ", words) + "\"";
    }

    /**
     * The environment block: {@code K=V} entries sorted by name without regard to case (as Windows keeps them), each
     * ended by NUL, the whole block ended by one more NUL. A name is never listed twice (Windows names are
     * case-insensitive; the first in sorted order wins).
     */
    static String environmentBlock(Map<String, String> environment) {
        Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        new TreeMap<>(environment).forEach(sorted::putIfAbsent);
        StringBuilder block = new StringBuilder();
        sorted.forEach((k, v) -> block.append(k).append('=').append(v).append('\0'));
        if (sorted.isEmpty()) {
            block.append('\0');
        }
        return block.append('\0').toString();
    }
}
