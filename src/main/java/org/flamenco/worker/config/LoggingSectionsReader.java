package org.flamenco.worker.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.flamenco.worker.config.LoggingSettings.LogFile;
import org.flamenco.worker.config.LoggingSettings.LogLevel;
import org.flamenco.worker.config.LoggingSettings.Rotation;

/**
 * Maps the Python {@code logging.config} sections of the original worker's file onto {@link LoggingSettings}
 * (worker-behaviour.md §2.5). Anything it cannot map is a warning, never an error: logging must not stop a worker.
 */
final class LoggingSectionsReader {
    private static final int DEFAULT_TIMED_BACKUPS = 7;

    private final Map<String, Map<String, String>> sections;
    private final Map<String, Map<String, RawValue>> raw;
    private final Path workingDir;
    private final List<String> warnings;

    LoggingSectionsReader(Map<String, Map<String, String>> sections, Map<String, Map<String, RawValue>> raw,
                          Path workingDir, List<String> warnings) {
        this.sections = sections;
        this.raw = raw;
        this.workingDir = workingDir;
        this.warnings = warnings;
    }

    static boolean isLoggingSection(String name) {
        return name.equals("loggers") || name.equals("handlers") || name.equals("formatters")
                || name.startsWith("logger_") || name.startsWith("handler_") || name.startsWith("formatter_");
    }

    LoggingSettings read() {
        if (sections.keySet().stream().noneMatch(name -> name.startsWith("logger_"))) {
            return LoggingSettings.defaults();
        }
        LogLevel library = level("logger_root", LogLevel.WARNING, LogLevel.DEBUG);
        LogLevel worker = level("logger_flamenco_worker", LogLevel.INFO, library);
        boolean console = false;
        Optional<LogFile> file = Optional.empty();
        for (String handler : referencedHandlers()) {
            String section = "handler_" + handler;
            Map<String, String> values = sections.get(section);
            if (values == null) {
                warnings.add("logging handler \"" + handler + "\" is referenced but has no [" + section
                        + "] section; ignored");
                continue;
            }
            String type = values.getOrDefault("class", "").strip().replaceFirst("^logging\\.", "");
            if (type.equals("StreamHandler")) {
                console = true;
            } else if (file.isPresent()) {
                warnings.add(where(section, "class") + "only one log file is supported; [" + section + "] ignored");
            } else {
                file = logFile(section, type, values.getOrDefault("args", ""));
            }
        }
        return new LoggingSettings(library, worker, console, file);
    }

    private Set<String> referencedHandlers() {
        Set<String> names = new LinkedHashSet<>();
        sections.forEach((name, values) -> {
            if (name.startsWith("logger_")) {
                for (String handler : values.getOrDefault("handlers", "").split(",")) {
                    if (!handler.isBlank()) {
                        names.add(handler.strip());
                    }
                }
            }
        });
        return names;
    }

    private Optional<LogFile> logFile(String section, String type, String args) {
        Rotation rotation;
        switch (type) {
            case "handlers.TimedRotatingFileHandler" -> rotation = Rotation.DAILY_UTC;
            case "handlers.RotatingFileHandler" -> rotation = Rotation.SIZE;
            case "FileHandler", "handlers.WatchedFileHandler" -> rotation = Rotation.NONE;
            default -> {
                warnings.add(where(section, "class") + "unsupported logging handler class \"" + type
                        + "\"; handler ignored");
                return Optional.empty();
            }
        }
        Optional<List<PythonTuple.Element>> parsed = PythonTuple.parse(args);
        try {
            List<PythonTuple.Element> elements = parsed.orElseThrow(IllegalArgumentException::new);
            if (elements.isEmpty() || !elements.get(0).quoted()) {
                throw new IllegalArgumentException();
            }
            Path path = workingDir.resolve(elements.get(0).text()).toAbsolutePath().normalize();
            return Optional.of(switch (rotation) {
                case DAILY_UTC -> new LogFile(path, rotation, intAt(elements, 3, DEFAULT_TIMED_BACKUPS), 0);
                case SIZE -> sizeRotated(path, elements);
                case NONE -> new LogFile(path, rotation, 0, 0);
            });
        } catch (IllegalArgumentException e) { // includes InvalidPathException, NumberFormatException {
            warnings.add(where(section, "args") + "cannot parse the handler arguments " + args
                    + "; expected a tuple starting with a quoted file name; no file logging");
            return Optional.empty();
        }
    }

    /** {@code RotatingFileHandler(filename, mode, maxBytes, backupCount)}: Python never rolls over if either is 0. */
    private static LogFile sizeRotated(Path path, List<PythonTuple.Element> elements) {
        long maxBytes = intAt(elements, 2, 0);
        int backups = intAt(elements, 3, 0);
        return maxBytes > 0 && backups > 0 ? new LogFile(path, Rotation.SIZE, backups, maxBytes)
                : new LogFile(path, Rotation.NONE, 0, 0);
    }

    private static int intAt(List<PythonTuple.Element> elements, int index, int fallback) {
        if (elements.size() <= index) {
            return fallback;
        }
        PythonTuple.Element element = elements.get(index);
        if (element.quoted()) {
            throw new IllegalArgumentException();
        }
        int value = Integer.parseInt(element.text()); // NumberFormatException is an IllegalArgumentException
        if (value < 0) {
            throw new IllegalArgumentException();
        }
        return value;
    }

    private LogLevel level(String section, LogLevel absent, LogLevel notSet) {
        String text = sections.getOrDefault(section, Map.of()).getOrDefault("level", "").strip();
        if (text.isEmpty()) {
            return absent;
        }
        switch (text.toUpperCase(Locale.ROOT)) {
            case "NOTSET", "0":
                return notSet;
            case "DEBUG", "10":
                return LogLevel.DEBUG;
            case "INFO", "20":
                return LogLevel.INFO;
            case "WARNING", "WARN", "30":
                return LogLevel.WARNING;
            case "ERROR", "40", "CRITICAL", "FATAL", "50":
                return LogLevel.ERROR;
            default:
                warnings.add(where(section, "level") + "unknown logging level \"" + text + "\"; using "
                        + absent);
                return absent;
        }
    }

    private String where(String section, String key) {
        RawValue value = raw.getOrDefault(section, Map.of()).get(key);
        return (value == null ? "" : value.origin() + ": ") + "[" + section + "] ";
    }
}
