package org.flamenco.worker.command;

/**
 * One command type, registered once in {@link CommandRegistry} under its wire name (commands.md §1).
 *
 * <p>Implementations are stateless and thread-safe: {@link #prepare} parses every setting into an immutable value
 * (a record) and returns the step that executes it. Validation never throws anything but
 * {@link InvalidSettingException}.
 */
public interface Command {
    /** The wire name, e.g. {@code blender_render}; each implementation also exposes it as a constant. */
    String name();

    /**
     * Parses and validates all settings (commands.md §1.2 step 1) before anything runs.
     *
     * @throws InvalidSettingException with the message that follows {@code Invalid settings: } in the activity,
     *                                 e.g. {@code "dest" must be a string, not an integer}
     */
    PreparedCommand prepare(Settings settings, CommandEnvironment environment) throws InvalidSettingException;
}
