package org.flamenco.worker.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EmbeddedManagerAuthTest extends RegisteredWorkerFixture {
    private static void assertUnauthorized(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("401 Unauthorized\n");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Flamenco Manager\"");
    }

    @Test
    void rightCredentials_areAccepted() throws Exception {
        HttpResponse<String> r = client.post("/task");

        assertThat(r.statusCode()).isEqualTo(204);
    }

    @Test
    void wrongSecret_is401WithChallenge() throws Exception {
        client.authenticateAs(workerId, "wrong");

        assertUnauthorized(client.post("/task"));
    }

    @Test
    void unknownWorkerId_is401() throws Exception {
        client.authenticateAs("0123456789abcdef01234567", "s3cret-node-01");

        assertUnauthorized(client.post("/sign-on", "{}"));
    }

    @Test
    void nonHexWorkerId_is401() throws Exception {
        client.authenticateAs("not-an-object-id", "s3cret-node-01");

        assertUnauthorized(client.get("/status-change"));
    }

    @Test
    void missingCredentials_is401() throws Exception {
        client.authenticateAs("", "");

        assertUnauthorized(client.post("/task", "", java.util.Map.of()));
    }

    @Test
    void forgottenWorker_gets401() throws Exception {
        manager.forgetWorker(workerId);

        assertUnauthorized(client.post("/task"));
        assertThat(manager.worker(workerId)).isEmpty();
    }

    @Test
    void forgetAllWorkers_emptiesTheDatabase() throws Exception {
        manager.forgetAllWorkers();

        assertUnauthorized(client.post("/sign-off"));
    }

    @Test
    void wrongMethod_is405EvenWithoutCredentials() throws Exception {
        client.authenticateAs("", "");

        HttpResponse<String> r = client.get("/task");

        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void unknownPath_is404PageNotFound() throws Exception {
        HttpResponse<String> r = client.post("/no-such-endpoint");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).isEqualTo("404 page not found\n");
    }

    @Test
    void everyRequestIsRecordedWithHeadersAndAnsweredStatus() throws Exception {
        client.post("/task");
        client.authenticateAs(workerId, "wrong");
        client.post("/task");

        List<RecordedRequest> tasks = manager.requests("POST", "/task");
        assertThat(tasks).extracting(RecordedRequest::status).containsExactly(204, 401);
        assertThat(tasks.get(0).header("authorization")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic "));
        assertThat(tasks.get(0).header("User-Agent")).hasValue("Flamenco-Worker/test");
        assertThat(manager.requests()).extracting(RecordedRequest::line)
                .containsExactly("POST /register-worker", "POST /task", "POST /task");
        assertThat(manager.requests()).extracting(RecordedRequest::sequence).containsExactly(0L, 1L, 2L);
    }
}
