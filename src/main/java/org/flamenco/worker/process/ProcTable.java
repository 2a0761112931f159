package org.flamenco.worker.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The living processes of this machine as Linux's {@code /proc} lists them (zombies left out). */
final class ProcTable {
    private static final Path PROC = Path.of("/proc");

    private ProcTable() {
    }

    /** One process of a group: its pid and session. */
    record Entry(long pid, long session) {
    }

    static boolean available() {
        return Files.isDirectory(PROC);
    }

    /** The living processes whose group id is {@code pgid}; a process that ends while being read is left out. */
    static List<Entry> groupMembers(long pgid) throws IOException {
        List<Entry> members = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isNumeric(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"), StandardCharsets.ISO_8859_1);
                } catch (IOException gone) {
                    continue;
                }
                int close = stat.lastIndexOf(')');
                if (close < 0 || close + 2 >= stat.length()) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ", 5);
                // fields: state, ppid, pgrp, session, ...
                if (fields.length >= 4 && !fields[0].equals("Z") && !fields[0].equals("X")
                        && Long.parseLong(fields[2]) == pgid) {
                    members.add(new Entry(Long.parseLong(dir.getFileName().toString()), Long.parseLong(fields[3])));
                }
            }
        }
        return members;
    }

    private static boolean isNumeric(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
