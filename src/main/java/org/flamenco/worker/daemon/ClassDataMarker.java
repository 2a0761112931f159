package org.flamenco.worker.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the launcher that this run got far enough to make a useful class-data archive (issue 24). The launcher has
 * the JVM record the classes the run loads, and a later start makes the archive from that list; a run that ended at
 * a bad configuration would list only a few hundred. So the launcher names a marker file (system property
 * {@value #PROPERTY}) and uses the list only when the marker exists: it is written once the worker is signed on at
 * the Manager. Failing to write it only means the next start records the classes again.
 */
final class ClassDataMarker {
    static final String PROPERTY = "flamenco.worker.cdsMarker";
    private static final Logger LOG = LoggerFactory.getLogger(ClassDataMarker.class);

    private ClassDataMarker() {
    }

    static void signedOn() {
        String marker = System.getProperty(PROPERTY, "");
        if (marker.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(marker), "signed on\n");
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not write the class-data marker {}: {}", marker, e.toString());
        }
    }
}
