package org.flamenco.worker.command.file;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.flamenco.worker.command.Command;
import org.flamenco.worker.command.CommandEnvironment;
import org.flamenco.worker.command.CommandFailedException;
import org.flamenco.worker.command.InvalidSettingException;
import org.flamenco.worker.command.PreparedCommand;
import org.flamenco.worker.command.Settings;

/** {@code remove_tree} (commands.md §3.8): deletes a directory tree (links deleted, never followed) or a file. */
public final class RemoveTreeCommand implements Command {
    public static final String NAME = "remove_tree";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException {
        String text = FileSettings.nonEmpty(settings, "path", "'path' may not be empty");
        Path path = environment.resolve(text);
        return context -> {
            if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                context.reporter().log("Path " + text + " does not exist, so not removing.");
                return;
            }
            context.reporter().log("Removing tree rooted at " + text);
            try {
                deleteTree(path);
            } catch (IOException e) {
                throw new CommandFailedException("Unable to remove " + text + ": " + e, e);
            }
        };
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
