package org.flamenco.worker.embedded;

import java.util.List;

/** What {@link JobStore#addJob} needs of a task to add ({@link TaskSpec}, {@link V3TaskSpec}). */
interface JobTaskSpec {
    /** Unique within its job; parents refer to it. */
    String name();

    /** Names of tasks of the same job that must be {@code completed} first. */
    List<String> parents();
}
