package org.flamenco.worker.manager.v3;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a rendered frame into the JPEG a Flamenco 3 Manager shows as the task's preview (protocol-v3.md §7).
 *
 * <p>Contract: blocking (reads and decodes the file), thread-safe. Returns empty for a format it does not decode
 * (EXR and the like are skipped, not an error); throws {@link IOException} when the file cannot be read or is
 * damaged. The bytes returned are at most {@link V3ManagerApi#MAX_PREVIEW_BYTES}.
 */
@FunctionalInterface
public interface PreviewEncoder {
    Optional<byte[]> jpeg(Path image) throws IOException;
}
