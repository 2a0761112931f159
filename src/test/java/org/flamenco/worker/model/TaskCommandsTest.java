package org.flamenco.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flamenco.worker.model.CommandsProblem.Kind;
import org.junit.jupiter.api.Test;

class TaskCommandsTest {
    @Test
    void v2List_decodesNamesAndSettingsInOrder() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("message", "hi");
        settings.put("nothing", null);

        TaskCommands decoded = TaskCommands.decodeV2(List.of(Map.of("name", "echo", "settings", settings),
                Map.of("name", "sleep", "settings", Map.of("time_in_seconds", 1), "total_step_count", 9)));

        assertThat(decoded.problem()).isEmpty();
        assertThat(decoded.listed()).isEqualTo(2);
        assertThat(decoded.commands()).containsExactly(new CommandSpec("echo", settings, 0),
                new CommandSpec("sleep", Map.of("time_in_seconds", 1), 0));
    }

    @Test
    void v3List_readsParametersAndStepCounts() {
        TaskCommands decoded = TaskCommands.decodeV3(List.of(
                Map.of("name", "exec", "parameters", Map.of("exe", "sh"), "total_step_count", 3),
                Map.of("name", "echo", "parameters", Map.of())));

        assertThat(decoded.problem()).isEmpty();
        assertThat(decoded.commands()).containsExactly(new CommandSpec("exec", Map.of("exe", "sh"), 3),
                new CommandSpec("echo", Map.of(), 0));
    }

    @Test
    void absentOrNonListCommands_isNotAList() {
        assertThat(TaskCommands.decodeV2(null).problem()).contains(new CommandsProblem(Kind.NOT_A_LIST, 0, "", null));
        assertThat(TaskCommands.decodeV2("x").problem()).contains(new CommandsProblem(Kind.NOT_A_LIST, 0, "", "x"));
        assertThat(TaskCommands.decodeV2("x").listed()).isZero();
    }

    @Test
    void firstProblemStopsDecoding_andKeepsTheCommandsBeforeIt() {
        TaskCommands decoded = TaskCommands.decodeV2(Arrays.asList(Map.of("name", "echo", "settings", Map.of()),
                7, Map.of("name", "")));

        assertThat(decoded.problem()).contains(new CommandsProblem(Kind.NOT_AN_OBJECT, 1, "", 7));
        assertThat(decoded.commands()).containsExactly(new CommandSpec("echo", Map.of()));
        assertThat(decoded.listed()).isEqualTo(3);
    }

    @Test
    void eachCommandIsCheckedForNameThenSettingsThenStepCount() {
        assertThat(TaskCommands.decodeV2(List.of(Map.of("name", 5, "settings", 1))).problem())
                .contains(new CommandsProblem(Kind.NO_NAME, 0, "", 5));
        assertThat(TaskCommands.decodeV3(List.of(Map.of("name", "echo", "settings", Map.of(),
                "total_step_count", "x"))).problem())
                .contains(new CommandsProblem(Kind.BAD_SETTINGS, 0, "echo", null));
        assertThat(TaskCommands.decodeV3(List.of(Map.of("name", "echo", "parameters", Map.of(),
                "total_step_count", -1))).problem())
                .contains(new CommandsProblem(Kind.BAD_STEP_COUNT, 0, "echo", -1));
    }

    @Test
    void stepCountMustBeAnIntInRange() {
        for (Object bad : List.of(1.0, "3", 2147483648L, -1)) {
            assertThat(TaskCommands.decodeV3(List.of(Map.of("name", "e", "parameters", Map.of(),
                    "total_step_count", bad))).problem()).as("%s", bad).isPresent();
        }
        assertThat(TaskCommands.decodeV3(List.of(Map.of("name", "e", "parameters", Map.of(),
                "total_step_count", 2147483647L))).commands().get(0).totalStepCount()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void settingsCannotBeChangedThroughTheSpec() {
        Map<String, Object> settings = new HashMap<>(Map.of("a", 1));
        CommandSpec spec = TaskCommands.decodeV2(List.of(Map.of("name", "echo", "settings", settings)))
                .commands().get(0);

        settings.put("b", 2);

        assertThat(spec.settings()).containsOnlyKeys("a");
    }
}
