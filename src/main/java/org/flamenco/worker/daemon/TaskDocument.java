package org.flamenco.worker.daemon;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.flamenco.worker.model.Task;
import org.flamenco.worker.model.TaskCommands;
import org.flamenco.worker.task.TaskDialect;

/**
 * Reads a task document for {@code exec-task}: the JSON the Manager's {@code /task} returns (protocol-v2.md §4.5,
 * or Flamenco 3's {@code AssignedTask}, protocol-v3.md §3), a document without an id, or a bare
 * {@code {"commands": [...]}}. {@code commands} is decoded by {@link TaskCommands}, the decoder the Manager
 * clients use, so a malformed command list reaches {@code exec-task} and the task runner as the same typed problem.
 */
public final class TaskDocument {
    /** The id of a document without {@code _id}. */
    public static final String LOCAL_TASK_ID = "000000000000000000000000";

    private final ObjectMapper json = new ObjectMapper();

    /** Parses {@code file}; every problem is one line naming it, without the file name. */
    public Task read(Path file) throws TaskDocumentException {
        return parse(file).task();
    }

    /** A parsed document and the dialect it is written in. */
    public record Parsed(Task task, TaskDialect dialect) {
    }

    /**
     * As {@link #read}, also telling a Flamenco 3 document ({@code uuid} instead of {@code _id}, or commands with
     * {@code parameters}: protocol-v3.md §3) from a v2 one.
     */
    public Parsed parse(Path file) throws TaskDocumentException {
        JsonNode root = parse(load(file));
        if (root == null || !root.isObject()) {
            throw new TaskDocumentException("not a JSON object; expected a task document like "
                    + "{\"commands\": [{\"name\": \"echo\", \"settings\": {\"message\": \"hi\"}}]}");
        }
        JsonNode commands = root.get("commands");
        if (commands == null || !commands.isArray()) {
            throw new TaskDocumentException("no \"commands\" list in the task document");
        }
        TaskDialect dialect = isV3(root, commands) ? TaskDialect.V3 : TaskDialect.V2;
        String id = dialect == TaskDialect.V3 && root.hasNonNull("uuid") ? v3Id(root) : id(root);
        Object plainCommands = json.convertValue(commands, Object.class);
        TaskCommands decoded = dialect == TaskDialect.V3 ? TaskCommands.decodeV3(plainCommands)
                : TaskCommands.decodeV2(plainCommands);
        return new Parsed(new Task(id, text(root, "name"), text(root, "job"), text(root, "job_type"),
                text(root, "task_type"), decoded), dialect);
    }

    private static boolean isV3(JsonNode root, JsonNode commands) {
        if (root.has("uuid") && !root.has("_id")) {
            return true;
        }
        for (JsonNode c : commands) {
            if (c.has("parameters") && !c.has("settings")) {
                return true;
            }
        }
        return false;
    }

    private static String v3Id(JsonNode root) throws TaskDocumentException {
        JsonNode node = root.get("uuid");
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new TaskDocumentException("\"uuid\" must be a non-empty string, got " + node);
        }
        return node.asText();
    }

    private static String load(Path file) throws TaskDocumentException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TaskDocumentException("no such file");
        } catch (CharacterCodingException e) {
            throw new TaskDocumentException("not UTF-8 text");
        } catch (IOException e) {
            throw new TaskDocumentException("cannot read: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private JsonNode parse(String text) throws TaskDocumentException {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = e.getOriginalMessage().lines().findFirst().orElse("").strip();
            throw new TaskDocumentException("not valid JSON" + where + ": " + what);
        }
    }

    private static String id(JsonNode root) throws TaskDocumentException {
        JsonNode node = root.get("_id");
        if (node == null || node.isNull()) {
            return LOCAL_TASK_ID;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw new TaskDocumentException("\"_id\" must be a non-empty string, got " + node);
        }
        return node.asText();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.asText() : "";
    }
}
