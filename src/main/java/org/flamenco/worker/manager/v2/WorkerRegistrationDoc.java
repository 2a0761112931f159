package org.flamenco.worker.manager.v2;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code WorkerRegistration} (protocol-v2.md §4.1). Holds the plain secret: never log or print it. */
@JsonPropertyOrder({"secret", "platform", "supported_task_types", "nickname"})
record WorkerRegistrationDoc(
        @JsonProperty("secret") String secret,
        @JsonProperty("platform") String platform,
        @JsonProperty("supported_task_types") List<String> supportedTaskTypes,
        @JsonProperty("nickname") String nickname) {

    @Override
    public String toString() {
        return "WorkerRegistrationDoc[secret=***, platform=" + platform + ", supportedTaskTypes=" + supportedTaskTypes
                + ", nickname=" + nickname + "]";
    }
}
