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

/**
 * Reads a task document for {@code exec-task}: the JSON the Manager's {@code /task} returns (protocol-v2.md §4.5),
 * a document without {@code _id}, or a bare {@code {"commands": [...]}}. {@code commands} passes through as plain
 * Java values, exactly as the Manager client does, so the task runner judges the commands with its usual messages.
 */
public final class TaskDocument {
    /** The id of a document without {@code _id}. */
    public static final String LOCAL_TASK_ID = "000000000000000000000000";

    private final ObjectMapper json = new ObjectMapper();

    /** Parses {@code file}; every problem is one line naming it, without the file name. */
    public Task read(Path file) throws TaskDocumentException {
        JsonNode root = parse(load(file));
        if (root == null || !root.isObject()) {
            throw new TaskDocumentException("not a JSON object; expected a task document like "
                    + "{\"commands\": [{\"name\": \"echo\", \"settings\": {\"message\": \"hi\"}}]}");
        }
        JsonNode commands = root.get("commands");
        if (commands == null || !commands.isArray()) {
            throw new TaskDocumentException("no \"commands\" list in the task document");
        }
        return new Task(id(root), text(root, "name"), text(root, "job"), text(root, "job_type"),
                text(root, "task_type"), json.convertValue(commands, Object.class));
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
