package org.flamenco.worker.manager.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code FileProduced} (protocol-v2.md §4.8): at least one path. */
record FileProducedDoc(@JsonProperty("paths") List<String> paths) {
}
