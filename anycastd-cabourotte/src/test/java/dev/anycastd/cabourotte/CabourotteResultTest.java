package dev.anycastd.cabourotte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anycastd.testkit.cabourotte.CabourotteFixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CabourotteResultTest {

    @Test
    void readsThePassingResultOfTheRealDaemon() throws Exception {
        CabourotteResult result = parse(CabourotteFixtures.read(CabourotteFixtures.RESULT_SUCCESS));

        assertThat(result).isEqualTo(new CabourotteResult("dns", true, "success", Optional.of(Instant.ofEpochSecond(1_795_477_260L))));
    }

    @Test
    void readsTheFailingResultOfTheRealDaemonWithItsMessage() throws Exception {
        CabourotteResult result = parse(CabourotteFixtures.read(CabourotteFixtures.RESULT_FAILURE));

        assertThat(result).isEqualTo(new CabourotteResult("dns", false,
                "The command failed with code=1, stderr=: exit status 1", Optional.of(Instant.ofEpochSecond(1_795_477_263L))));
    }

    @Test
    void readsEachItemOfTheResultListAndOfTheExporterPushes() throws Exception {
        assertThat(items(CabourotteFixtures.RESULT_LIST)).extracting(CabourotteResult::name, CabourotteResult::success)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dns", true));
        assertThat(items(CabourotteFixtures.EXPORTER_PUSH_SUCCESS)).extracting(CabourotteResult::success).containsExactly(true);
        assertThat(items(CabourotteFixtures.EXPORTER_PUSH_FAILURE)).extracting(CabourotteResult::message)
                .containsExactly("The command failed with code=1, stderr=: exit status 1");
    }

    @Test
    void readsTheExportersPushesAsAList() throws Exception {
        List<CabourotteResult> pushed = CabourotteResult.parseList(
                CabourotteFixtures.read(CabourotteFixtures.EXPORTER_PUSH_FAILURE).getBytes(StandardCharsets.UTF_8));

        assertThat(pushed).containsExactly(new CabourotteResult("dns", false,
                "The command failed with code=1, stderr=: exit status 1", Optional.of(Instant.ofEpochSecond(1_795_477_277L))));
    }

    @Test
    void refusesAListWithOneBadItemNamingTheItem() {
        byte[] body = ("[" + CabourotteFixtures.read(CabourotteFixtures.RESULT_SUCCESS) + ",{\"name\":7,\"success\":true}]")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CabourotteResult.parseList(body))
                .isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessage("result [1]: \"name\" must be text, got the number 7");
    }

    @Test
    void refusesTheNotFoundBodyAsAResult() {
        assertThatThrownBy(() -> parse(CabourotteFixtures.read(CabourotteFixtures.RESULT_NOT_FOUND)))
                .isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessage("\"name\" must be text, got nothing");
    }

    @Test
    void acceptsWholeMillisecondsAsDurationAsCabourotteSendsFromVersion113() throws Exception {
        CabourotteResult result = parse("{\"name\":\"dns\",\"success\":true,\"healthcheck-timestamp\":1795477260,"
                + "\"message\":\"success\",\"duration\":2,\"source\":\"configuration\"}");

        assertThat(result.success()).isTrue();
    }

    @Test
    void ignoresWhatDoesNotDecideHealth() throws Exception {
        CabourotteResult result = parse("{\"name\":\"dns\",\"summary\":{\"any\":[\"json\",1]},\"labels\":{\"team\":\"net\"},"
                + "\"success\":false,\"message\":\"down\",\"duration\":\"not even a number\",\"new-field\":[1,2]}");

        assertThat(result).isEqualTo(new CabourotteResult("dns", false, "down", Optional.empty()));
    }

    @Test
    void readsAFractionalTimestamp() throws Exception {
        CabourotteResult result = parse("{\"name\":\"dns\",\"success\":true,\"healthcheck-timestamp\":1795477260.25}");

        assertThat(result.ranAt()).hasValue(Instant.ofEpochSecond(1_795_477_260L, 250_000_000L));
    }

    @Test
    void treatsAMissingMessageAsEmpty() throws Exception {
        assertThat(parse("{\"name\":\"dns\",\"success\":false}").message()).isEmpty();
        assertThat(parse("{\"name\":\"dns\",\"success\":false,\"message\":null}").message()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\":\"dns\",\"success\":\"true\"}",
        "{\"name\":\"dns\",\"success\":1}",
        "{\"name\":\"dns\",\"success\":null}",
        "{\"name\":\"dns\"}",
    })
    void insistsOnABooleanSuccess(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessageStartingWith("\"success\" must be true or false, got ");
    }

    @Test
    void insistsOnATextName() {
        assertThatThrownBy(() -> parse("{\"name\":7,\"success\":true}")).isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessage("\"name\" must be text, got the number 7");
    }

    @Test
    void refusesTwoVerdictsInOneResult() {
        assertThatThrownBy(() -> parse("{\"name\":\"dns\",\"success\":true,\"success\":false}"))
                .isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessageContaining("Duplicate field 'success'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html>502 Bad Gateway</html>", "{\"name\":\"dns\",\"success\":true} trailing", "{\"name\":"})
    void refusesWhatIsNotOneJsonValue(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessageFindingMatch("^(not JSON: |expected a JSON object, got nothing)");
    }

    @Test
    void refusesAnArrayWhereOneResultIsExpected() {
        assertThatThrownBy(() -> parse(CabourotteFixtures.read(CabourotteFixtures.RESULT_LIST)))
                .isInstanceOf(CabourotteResult.MalformedException.class)
                .hasMessage("expected a JSON object, got an array");
    }

    private static CabourotteResult parse(String body) throws CabourotteResult.MalformedException {
        return CabourotteResult.parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CabourotteResult> items(String fixture) throws Exception {
        JsonNode array = new ObjectMapper().readTree(CabourotteFixtures.read(fixture));
        assertThat(array.isArray()).isTrue();
        List<CabourotteResult> results = new ArrayList<>();
        for (JsonNode item : array) {
            results.add(CabourotteResult.of(item));
        }
        return results;
    }
}
