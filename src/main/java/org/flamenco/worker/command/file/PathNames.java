package org.flamenco.worker.command.file;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The path helpers of commands.md §1.4: timestamped, unique, numbered. */
final class PathNames {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss");
    private static final Pattern TILDE = Pattern.compile("~([0-9]+)");

    private PathNames() {
    }

    /** {@code <name>-<mtime as YYYY-MM-DD_HHMMSS in local time>} beside {@code p}. */
    static Path timestamped(Path p, ZoneId zone) throws IOException {
        Instant mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        BigDecimal seconds = BigDecimal.valueOf(mtime.getEpochSecond()).add(BigDecimal.valueOf(mtime.getNano(), 9));
        long rounded = seconds.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        String stamp = STAMP.format(Instant.ofEpochSecond(rounded).atZone(zone));
        return p.resolveSibling(p.getFileName() + "-" + stamp);
    }

    /** {@code <name>~<N+1>} with N the largest existing {@code <name>~<digits>} sibling (0 if none). */
    static Path unique(Path p) throws IOException {
        String name = p.getFileName().toString();
        Path dir = parentOf(p);
        long max = 0;
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir)) {
            for (Path s : siblings) {
                String other = s.getFileName().toString();
                if (other.startsWith(name + "~")) {
                    Matcher m = TILDE.matcher(other.substring(name.length()));
                    if (m.matches()) {
                        max = Math.max(max, Long.parseLong(m.group(1)));
                    }
                }
            }
        }
        return p.resolveSibling(name + "~" + (max + 1));
    }

    /**
     * {@code dir/<prefix><N+1><suffix>}, N the largest decimal middle part of existing {@code dir/<prefix>*<suffix>}
     * files (0 if none), zero-padded to at least 3 digits.
     */
    static Path numbered(Path dir, String prefix, String suffix) throws IOException {
        long max = 0;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    if (name.length() > prefix.length() + suffix.length() && name.startsWith(prefix)
                            && name.endsWith(suffix)) {
                        String middle = name.substring(prefix.length(), name.length() - suffix.length());
                        if (middle.matches("[0-9]+")) {
                            max = Math.max(max, Long.parseLong(middle));
                        }
                    }
                }
            }
        }
        return dir.resolve(prefix + String.format("%03d", max + 1) + suffix);
    }

    static Path parentOf(Path p) {
        Path parent = p.toAbsolutePath().getParent();
        return parent == null ? p.toAbsolutePath().getRoot() : parent;
    }
}
