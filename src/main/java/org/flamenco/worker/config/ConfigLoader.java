package org.flamenco.worker.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the layered configuration (worker-behaviour.md §2.2): built-in defaults → {@code ./flamenco-worker.cfg}
 * (required) → {@code ~/.flamenco-worker.cfg} (optional) → credentials file; or, with {@code -c FILE}, defaults →
 * FILE (required) → credentials file. The credentials file only fills an empty {@code worker_id} or
 * {@code worker_secret} and is skipped when it is one of the files already read. When {@code credentials_file} is
 * another file than the home file, the home file's identity is ignored (one identity per instance).
 *
 * <p>The working and home directories are constructor arguments, so nothing here reads the process environment.
 */
public final class ConfigLoader {
    public static final String MAIN_FILE_NAME = "flamenco-worker.cfg";
    public static final String HOME_FILE_NAME = ".flamenco-worker.cfg";
    private static final String DEFAULTS_ORIGIN = "<built-in defaults>";
    /** Sections whose interpolation errors are fatal: the worker's own. */
    private static final Set<String> STRICT_SECTIONS =
            Set.of(WorkerConfigReader.SECTION, WorkerConfigReader.PRE_TASK_CHECK);
    private static final List<String> CREDENTIAL_KEYS = List.of("worker_id", "worker_secret");

    private final Path workingDir;
    private final Optional<Path> homeDir;

    public ConfigLoader(Path workingDir, Path homeDir) {
        this(workingDir, Optional.of(Objects.requireNonNull(homeDir, "homeDir")));
    }

    /**
     * @param homeDir {@code ~} (worker-behaviour.md §1); empty when neither {@code HOME} nor the account has one:
     *                then the home layer is skipped and a path that needs {@code ~} is a configuration error
     */
    public ConfigLoader(Path workingDir, Optional<Path> homeDir) {
        this.workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath().normalize();
        this.homeDir = homeDir.map(dir -> dir.toAbsolutePath().normalize());
    }

    /** Loads from the default search order. */
    public LoadedConfig load() throws ConfigException {
        return load(Optional.empty());
    }

    /** Loads {@code explicitFile} ({@code -c}) instead of the search order when present. */
    public LoadedConfig load(Optional<Path> explicitFile) throws ConfigException {
        List<Path> searched = new ArrayList<>();
        explicitFile.ifPresentOrElse(file -> searched.add(workingDir.resolve(file).normalize()), () -> {
            searched.add(workingDir.resolve(MAIN_FILE_NAME));
            homeDir.ifPresent(home -> searched.add(home.resolve(HOME_FILE_NAME)));
        });
        List<String> warnings = new ArrayList<>();
        List<Path> filesRead = new ArrayList<>();
        Map<String, Map<String, RawValue>> merged = new LinkedHashMap<>();
        Map<String, RawValue> defaults = new LinkedHashMap<>();
        WorkerConfigReader.DEFAULTS.forEach((key, value) -> defaults.put(key, new RawValue(value, DEFAULTS_ORIGIN)));
        merged.put(WorkerConfigReader.SECTION, defaults);

        Map<String, RawValue> identityBeforeHome = Map.of();
        for (int i = 0; i < searched.size(); i++) {
            Path file = searched.get(i);
            if (!Files.exists(file)) {
                if (i == 0) {
                    throw new ConfigException("Config file " + file + " does not exist" + (explicitFile.isPresent()
                            ? " (given with -c); check the path, or copy flamenco-worker.cfg.example (in the install's "
                            + "conf/ directory) to it and set manager_url"
                            : "; to start, copy flamenco-worker.cfg.example (in the install's conf/ directory) "
                            + "to it and set manager_url, or pass -c FILE"));
                }
                continue;
            }
            if (i == 1) {
                identityBeforeHome = identity(merged);
            }
            mergeFile(merged, file, warnings, Optional.empty());
            filesRead.add(file);
        }
        Path credentialsFile = credentialsFile(merged);
        if (filesRead.size() == 2 && !alreadyRead(credentialsFile, filesRead.subList(1, 2))) {
            keepOwnIdentity(merged, identityBeforeHome, filesRead.get(1), credentialsFile, warnings);
        }
        if (Files.exists(credentialsFile) && !alreadyRead(credentialsFile, filesRead)) {
            mergeFile(merged, credentialsFile, warnings, Optional.of(emptyCredentialKeys(merged)));
            filesRead.add(credentialsFile);
        }

        Map<String, Map<String, String>> sections = new Interpolator(merged).interpolateAll(STRICT_SECTIONS, warnings);
        warnAboutSections(merged, warnings);
        LoggingSettings logging = new LoggingSectionsReader(sections, merged, workingDir, warnings).read();
        WorkerConfig config = new WorkerConfigReader(merged, sections, workingDir, homeDir).read(logging, warnings);
        String identityOrigin = merged.get(WorkerConfigReader.SECTION).get("worker_id").origin();
        Map<String, String> origins = new LinkedHashMap<>();
        merged.get(WorkerConfigReader.SECTION).forEach((key, value) -> origins.put(key, value.origin()));
        return new LoadedConfig(config, searched, filesRead, warnings, sections, identityOrigin, origins);
    }

    private static Map<String, RawValue> identity(Map<String, Map<String, RawValue>> merged) {
        Map<String, RawValue> section = merged.get(WorkerConfigReader.SECTION);
        Map<String, RawValue> identity = new LinkedHashMap<>();
        CREDENTIAL_KEYS.forEach(key -> identity.put(key, section.get(key)));
        return identity;
    }

    /**
     * worker-behaviour.md §2.2, one identity per instance: when {@code credentials_file} is not the home file, the
     * home file's {@code worker_id}/{@code worker_secret} are ignored, so a stale or foreign identity there never
     * replaces the instance's own.
     */
    private static void keepOwnIdentity(Map<String, Map<String, RawValue>> merged, Map<String, RawValue> beforeHome,
                                        Path homeFile, Path credentialsFile, List<String> warnings) {
        Map<String, RawValue> section = merged.get(WorkerConfigReader.SECTION);
        boolean fromHome = false;
        for (String key : CREDENTIAL_KEYS) {
            RawValue value = section.get(key);
            if (value.origin().equals(homeFile.toString()) && !value.text().isBlank()) {
                section.put(key, beforeHome.get(key));
                fromHome = true;
            }
        }
        if (fromHome) {
            warnings.add(homeFile + ": worker_id/worker_secret ignored: this worker's identity comes from its "
                    + "credentials_file " + credentialsFile + " (remove them from " + homeFile
                    + " to silence this warning)");
        }
    }

    /**
     * Applies one file's sections over {@code merged}. {@code onlyKeys}, for the credentials layer, limits it to
     * those {@code [flamenco-worker]} keys.
     */
    private static void mergeFile(Map<String, Map<String, RawValue>> merged, Path file, List<String> warnings,
                                  Optional<List<String>> onlyKeys) throws ConfigException {
        Map<String, Map<String, RawValue>> parsed = IniParser.parse(file);
        if (parsed.remove("DEFAULT") != null) {
            warnings.add(file + ": section [DEFAULT] is not supported; ignored");
        }
        warnIfReadableByOthers(file, parsed, warnings);
        if (onlyKeys.isPresent()) {
            Map<String, RawValue> section = parsed.getOrDefault(WorkerConfigReader.SECTION, Map.of());
            for (String key : onlyKeys.get()) {
                if (section.containsKey(key)) {
                    merged.get(WorkerConfigReader.SECTION).put(key, section.get(key));
                }
            }
            return;
        }
        parsed.forEach((name, values) -> merged.computeIfAbsent(name, n -> new LinkedHashMap<>()).putAll(values));
    }

    private static List<String> emptyCredentialKeys(Map<String, Map<String, RawValue>> merged) {
        Map<String, RawValue> section = merged.get(WorkerConfigReader.SECTION);
        return CREDENTIAL_KEYS.stream().filter(key -> section.get(key).text().isBlank()).toList();
    }

    /** The credentials file path, resolved from the layers read so far (it may itself use interpolation). */
    private Path credentialsFile(Map<String, Map<String, RawValue>> merged) throws ConfigException {
        Map<String, Map<String, String>> sections = new Interpolator(merged)
                .interpolateAll(STRICT_SECTIONS, new ArrayList<>()); // warnings come from the final pass
        Map<String, Map<String, String>> onlyFlamenco = Map.of(WorkerConfigReader.SECTION,
                sections.get(WorkerConfigReader.SECTION));
        return new WorkerConfigReader(merged, onlyFlamenco, workingDir, homeDir).credentialsFile();
    }

    private static boolean alreadyRead(Path file, List<Path> filesRead) {
        for (Path read : filesRead) {
            try {
                if (Files.isSameFile(read, file)) {
                    return true;
                }
            } catch (IOException e) {
                if (read.equals(file)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void warnAboutSections(Map<String, Map<String, RawValue>> merged, List<String> warnings) {
        merged.forEach((name, values) -> {
            boolean known = name.equals(WorkerConfigReader.SECTION) || name.equals(WorkerConfigReader.PRE_TASK_CHECK)
                    || name.equals(CredentialsStore.V3_SECTION) || LoggingSectionsReader.isLoggingSection(name);
            if (!known) {
                String origin = values.values().stream().findFirst().map(RawValue::origin).orElse("configuration");
                warnings.add(origin + ": unknown section [" + name + "] ignored");
            }
        });
    }

    /** worker-behaviour.md §3: a file holding {@code worker_secret} should be readable by its owner only. */
    private static void warnIfReadableByOthers(Path file, Map<String, Map<String, RawValue>> parsed,
                                               List<String> warnings) {
        RawValue secret = parsed.getOrDefault(WorkerConfigReader.SECTION, Map.of()).get("worker_secret");
        if (secret == null || secret.text().isBlank()) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                warnings.add(file + " contains worker_secret and is readable by other users; run: chmod 600 "
                        + file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system (Windows): the ACL is set when the worker writes the file
        }
    }
}
