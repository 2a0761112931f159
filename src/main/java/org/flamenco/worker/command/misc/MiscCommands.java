package org.flamenco.worker.command.misc;

import java.util.List;

import org.flamenco.worker.command.Command;

/** The commands of this package, for the {@code CommandRegistry}: v2 (commands.md §3.1–§3.4) or v3 (§7). */
public final class MiscCommands {
    private MiscCommands() {
    }

    /** {@code echo}, {@code log_a_lot}, {@code sleep}, {@code exec}. */
    public static List<Command> v2() {
        return List.of(new EchoCommand(), new LogALotCommand(), new SleepCommand(), new ExecCommand());
    }

    /** The Flamenco 3 counterparts, registered instead in v3 mode: {@code echo}, {@code sleep}, {@code exec}. */
    public static List<Command> v3() {
        return List.of(new EchoV3Command(), new SleepV3Command(), new ExecV3Command());
    }
}
