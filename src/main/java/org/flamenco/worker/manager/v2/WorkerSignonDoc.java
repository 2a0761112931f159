package org.flamenco.worker.manager.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code WorkerSignonDoc} (protocol-v2.md §4.3); the worker always sends both fields. */
@JsonPropertyOrder({"supported_task_types", "nickname"})
record WorkerSignonDoc(
        @JsonProperty("supported_task_types") List<String> supportedTaskTypes,
        @JsonProperty("nickname") String nickname) {
}
