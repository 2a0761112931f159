package org.flamenco.worker.cli;

import org.flamenco.worker.model.BuildInfo;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the version from the build. */
public final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"flamenco-worker " + BuildInfo.version()};
    }
}
