package org.flamenco.worker.embedded;

import java.util.List;
import java.util.Map;

/** What a task snapshot of either embedded Manager tells alike: its status, its log and the updates it accepted. */
public sealed interface TaskSnapshot permits TaskView, V3TaskView {
    String id();

    String status();

    /** The task log as the Manager wrote it. */
    String log();

    /** Every accepted update's JSON body as parsed, in arrival order. */
    List<Map<String, Object>> updates();

    /** The task log split into lines (no trailing empty line). */
    default List<String> logLines() {
        return TaskRow.lines(log());
    }
}
