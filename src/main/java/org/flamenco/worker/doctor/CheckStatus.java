package org.flamenco.worker.doctor;

import java.util.Locale;

/** How one preflight check ended. Only {@link #FAIL} makes the doctor exit non-zero. */
public enum CheckStatus {
    /** Nothing to do. */
    OK,
    /** The worker will run, but something deserves a look (a tool missing, no credentials yet). */
    WARN,
    /** The worker will not run properly until this is fixed. */
    FAIL;

    /** {@code ok}, {@code warn} or {@code fail}: the {@code --json} form. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code ok}, {@code warn} or {@code FAIL}: the text form, a failure stands out. */
    public String label() {
        return this == FAIL ? "FAIL" : wireName();
    }
}
