package org.flamenco.worker.command;

/**
 * Receives each output line of a subprocess (commands.md §2.4), on the output reader thread, one line at a time and
 * in order. Blocking here pauses reading (back-pressure). The processor decides what reaches the task log; the
 * default ({@link CommandContext#runSubprocess(java.util.List)}) writes {@code pid=<pid> > <line>}, which a custom
 * processor can do with {@link CommandContext#logOutputLine(long, String)}.
 */
@FunctionalInterface
public interface LineProcessor {
    /**
     * @param pid  the subprocess pid
     * @param line one line: no line end, trailing whitespace removed, at most 65,536 UTF-8 bytes, valid text
     */
    void process(long pid, String line) throws InterruptedException;
}
