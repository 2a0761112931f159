package org.flamenco.worker.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Check 4: a credentials file holding {@code worker_secret} is readable by its owner only, mode 0600
 * (worker-behaviour.md §3). A group or world bit is a warning with the {@code chmod} to run.
 */
final class CredentialsFileCheck {
    static final String NAME = "credentials-file";
    /** A {@code worker_secret} key with a value; the INI reader itself belongs to {@code config}. */
    private static final Pattern SECRET_LINE = Pattern.compile("(?m)^\\s*worker_secret\\s*[=:]\\s*\\S");
    private static final Set<PosixFilePermission> NOT_FOR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final Path file;

    CredentialsFileCheck(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    CheckResult run() {
        if (!Files.exists(file)) {
            return CheckResult.ok(NAME, file + " does not exist yet; the worker writes it (mode 0600) when it "
                    + "registers");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return CheckResult.fail(NAME, file + " cannot be read: " + e.getMessage(),
                    "the worker's user must own it: chown <worker user> " + file + " && chmod 600 " + file);
        }
        if (!SECRET_LINE.matcher(text).find()) {
            return CheckResult.ok(NAME, file + " holds no worker_secret");
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return CheckResult.ok(NAME, file + " holds worker_secret (not a POSIX file system: permissions not "
                    + "checked)");
        }
        String mode = PosixFilePermissions.toString(permissions);
        if (permissions.stream().anyMatch(NOT_FOR_OTHERS::contains)) {
            return CheckResult.warn(NAME, file + " holds worker_secret and is accessible to other users (" + mode
                    + ")", "chmod 600 " + file);
        }
        return CheckResult.ok(NAME, file + " holds worker_secret and is private (" + mode + ")");
    }
}
