package org.flamenco.worker.doctor;

import java.util.Objects;

/**
 * The outcome of one check: a short name ({@code manager}, {@code queue}…), its status, what was found and, when
 * something should be done, a hint a studio IT person can act on. Never holds a secret.
 *
 * @param hint empty when there is nothing to do
 */
public record CheckResult(String name, CheckStatus status, String detail, String hint) {
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(hint, "hint");
    }

    static CheckResult ok(String name, String detail) {
        return new CheckResult(name, CheckStatus.OK, detail, "");
    }

    static CheckResult warn(String name, String detail, String hint) {
        return new CheckResult(name, CheckStatus.WARN, detail, hint);
    }

    static CheckResult fail(String name, String detail, String hint) {
        return new CheckResult(name, CheckStatus.FAIL, detail, hint);
    }
}
