package org.flamenco.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.flamenco.worker.config.ConfigFiles.write;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitoringSettingsTest {
    @TempDir
    Path dir;
    Path main;
    ConfigLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        main = work.resolve("flamenco-worker.cfg");
        loader = new ConfigLoader(work, Files.createDirectories(dir.resolve("home")));
    }

    @Test
    void offByDefaultWithAFiveMinuteHealthLimit() throws Exception {
        write(main, "[flamenco-worker]");

        MonitoringSettings m = loader.load().config().monitoring();

        assertThat(m.metricsListen()).isEmpty();
        assertThat(m.healthzMaxSilence()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void readsHostPortAndTheLimit() throws Exception {
        write(main, "[flamenco-worker]", "metrics_listen = 127.0.0.1:9101", "healthz_max_silence_seconds = 90");

        MonitoringSettings m = loader.load().config().monitoring();

        assertThat(m.metricsListen()).contains(new InetSocketAddress("127.0.0.1", 9101));
        assertThat(m.healthzMaxSilence()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void readsABracketedIpv6Address() throws Exception {
        write(main, "[flamenco-worker]", "metrics_listen = [::1]:9101");

        assertThat(loader.load().config().monitoring().metricsListen())
                .contains(new InetSocketAddress(InetAddress.getByName("::1"), 9101));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "9101              | no host:port",
        "127.0.0.1         | no host:port",
        "127.0.0.1:        | no host:port",
        "127.0.0.1:http    | the port is not a number",
        "127.0.0.1:0       | the port must be 1-65535",
        "127.0.0.1:70000   | the port must be 1-65535",
        "::1:9101          | write an IPv6 address in brackets"})
    void aBadMetricsListenIsOneLineNamingFileKeyValueAndForm(String value, String why) {
        write(main, "[flamenco-worker]", "metrics_listen = " + value);

        assertThatThrownBy(loader::load).isInstanceOf(ConfigException.class).hasMessage(main
                + ": [flamenco-worker] metrics_listen = \"" + value + "\": expected empty (off) or host:port such as "
                + "127.0.0.1:9101 (" + why + ")");
    }

    @Test
    void aZeroHealthLimitIsAnError() {
        write(main, "[flamenco-worker]", "healthz_max_silence_seconds = 0");

        assertThatThrownBy(loader::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("healthz_max_silence_seconds = \"0\": expected a number of seconds "
                        + "greater than 0");
    }
}
