package dev.anycastd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/** The human form of a status answer: a line per service, then its prefixes and checks indented, then the last reconcile. */
final class StatusTable {

    private StatusTable() {
    }

    static String of(JsonNode answer) {
        Instant now = Instant.parse(answer.path("now").asText());
        int nameWidth = "SERVICE".length();
        for (JsonNode service : answer.path("services")) {
            nameWidth = Math.max(nameWidth, service.path("name").asText().length());
        }
        StringBuilder table = new StringBuilder();
        String row = "%-" + nameWidth + "s  %-9s  %-20s  %s%n";
        table.append(String.format(row, "SERVICE", "STATE", "SINCE", "WHY"));
        for (JsonNode service : answer.path("services")) {
            String state = service.path("state").asText();
            if (!service.path("converged").asBoolean() && !state.equals("starting")) {
                state += "*";
            }
            String why = service.path("reason").asText();
            JsonNode drain = service.path("drain");
            if (drain.isObject() && !drain.path("until").isNull()) {
                why += " (until " + drain.path("until").asText() + ")";
            }
            table.append(String.format(row, service.path("name").asText(), state,
                    ago(now, service.path("since").asText()), why));
            for (JsonNode prefix : service.path("prefixes")) {
                String seen = prefix.path("seen_at").isNull() ? "" : ", seen " + ago(now, prefix.path("seen_at").asText());
                table.append("  prefix ").append(prefix.path("description").asText()).append(": ")
                        .append(prefix.path("router").asText()).append(" at the router").append(seen).append('\n');
            }
            for (JsonNode check : service.path("checks")) {
                table.append("  check ").append(check.path("name").asText()).append(": ")
                        .append(check.path("detail").asText()).append(", ")
                        .append(human(Duration.ofMillis(check.path("age_ms").asLong()))).append(" ago\n");
            }
        }
        JsonNode reconcile = answer.path("reconcile");
        if (reconcile.isObject()) {
            table.append("Last reconcile ").append(ago(now, reconcile.path("at").asText())).append(": ")
                    .append(reconcile.path("read").asInt()).append(" prefixes read");
            if (reconcile.path("unreadable").asInt() > 0) {
                table.append(", ").append(reconcile.path("unreadable").asInt()).append(" could not be read");
            }
            if (!reconcile.path("repaired").isEmpty()) {
                table.append(", repairing ").append(reconcile.path("repaired"));
            } else if (reconcile.path("unreadable").asInt() == 0) {
                table.append(", all as wanted");
            }
            table.append('\n');
        } else {
            table.append("No reconcile yet.\n");
        }
        if (answer.path("services").findValues("converged").stream().anyMatch(converged -> !converged.asBoolean())) {
            table.append("* not yet as wanted at the router: being changed, or retried after a failure\n");
        }
        return table.toString();
    }

    /** {@code 5m ago}, for a time shortly before {@code now}. */
    private static String ago(Instant now, String then) {
        return human(Duration.between(Instant.parse(then), now)) + " ago";
    }

    static String human(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 1) {
            return Math.max(0, duration.toMillis()) + "ms";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
