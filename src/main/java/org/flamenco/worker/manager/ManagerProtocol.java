package org.flamenco.worker.manager;

/** Which Manager API the worker speaks: Flamenco 2 ({@code protocol-v2.md}) or Flamenco 3 ({@code protocol-v3.md}). */
public enum ManagerProtocol {
    V2("v2"),
    V3("v3");

    private final String setting;

    ManagerProtocol(String setting) {
        this.setting = setting;
    }

    /** The {@code manager_protocol} value that selects it. */
    public String setting() {
        return setting;
    }
}
