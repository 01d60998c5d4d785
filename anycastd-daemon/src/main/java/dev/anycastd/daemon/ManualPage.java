package dev.anycastd.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man page anycastd(8) in troff, written from the same picocli model as {@code --help}:
 * every visible command, option and positional parameter, the exit codes, the environment
 * variables the options read (from their {@code ${env:NAME}} defaults) and {@link HelpSection}s.
 */
final class ManualPage {

    private static final Pattern ENVIRONMENT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

    private ManualPage() {
    }

    /**
     * @param commandLine the program's command line, as {@link AnycastdCommand#commandLine} builds it
     * @param version the version shown in the page's footer
     * @param date the page's date, e.g. {@code 2026-12-02}
     */
    static String render(CommandLine commandLine, String version, String date) {
        CommandSpec top = commandLine.getCommandSpec();
        StringBuilder page = new StringBuilder();
        page.append(".TH ANYCASTD 8 \"").append(escape(date)).append("\" \"anycastd ").append(escape(version))
                .append("\" \"System Administration\"\n");
        page.append(".SH NAME\nanycastd \\- ").append(escape(lowerFirst(String.join(" ", top.usageMessage().description()))))
                .append('\n');
        page.append(".SH SYNOPSIS\n");
        for (CommandLine sub : visibleSubcommands(commandLine)) {
            page.append(".B anycastd ").append(escape(sub.getCommandName())).append('\n');
            page.append(synopsisArguments(sub.getCommandSpec())).append("\n.br\n");
        }
        page.append(".B anycastd\n[\\fB\\-h\\fR|\\fB\\-V\\fR]\n");
        page.append(".SH DESCRIPTION\n").append(escape(String.join(" ", top.usageMessage().description()))).append('\n');
        options(page, top);
        page.append(".SH COMMANDS\n");
        for (CommandLine sub : visibleSubcommands(commandLine)) {
            CommandSpec spec = sub.getCommandSpec();
            page.append(".SS ").append(quote("anycastd " + sub.getCommandName())).append('\n');
            page.append(escape(String.join(" ", spec.usageMessage().description()))).append('\n');
            for (PositionalParamSpec parameter : spec.positionalParameters()) {
                if (!parameter.hidden()) {
                    page.append(".TP\n\\fI").append(escape(parameter.paramLabel())).append("\\fR\n")
                            .append(escape(String.join(" ", parameter.description()))).append('\n');
                }
            }
            options(page, spec);
        }
        environment(page, commandLine);
        page.append(".SH \"EXIT STATUS\"\n");
        for (Map.Entry<String, String> code : top.usageMessage().exitCodeList().entrySet()) {
            page.append(".TP\n.B ").append(escape(code.getKey().strip())).append('\n').append(escape(code.getValue())).append('\n');
        }
        for (HelpSection section : HelpSection.ALL) {
            if (section.title().equals("Environment")) {
                continue;
            }
            page.append(".SH ").append(quote(section.title().toUpperCase(java.util.Locale.ROOT))).append('\n');
            section(page, section);
        }
        page.append(".SH \"SEE ALSO\"\n.BR vtysh (1),\n.BR systemd.service (5),\n.BR systemd.unit (5)\n");
        return page.toString();
    }

    private static List<CommandLine> visibleSubcommands(CommandLine commandLine) {
        return commandLine.getSubcommands().values().stream().filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
                .distinct().toList();
    }

    private static String synopsisArguments(CommandSpec spec) {
        List<String> parts = new ArrayList<>();
        if (spec.options().stream().anyMatch(option -> !option.hidden())) {
            parts.add("[\\fIOPTIONS\\fR]");
        }
        for (PositionalParamSpec parameter : spec.positionalParameters()) {
            if (!parameter.hidden()) {
                String label = "\\fI" + escape(parameter.paramLabel()) + "\\fR" + (parameter.arity().max() > 1 ? "..." : "");
                parts.add(parameter.arity().min() == 0 ? "[" + label + "]" : label);
            }
        }
        return String.join(" ", parts);
    }

    private static void options(StringBuilder page, CommandSpec spec) {
        List<OptionSpec> visible = spec.options().stream().filter(option -> !option.hidden()).toList();
        if (visible.isEmpty()) {
            return;
        }
        page.append(spec.parent() == null ? ".SH OPTIONS\n" : ".PP\nOptions:\n");
        for (OptionSpec option : visible) {
            List<String> names = new ArrayList<>();
            for (String name : option.names()) {
                names.add("\\fB" + escape(name) + "\\fR");
            }
            String label = option.typeInfo().isBoolean() ? "" : "=\\fI" + escape(option.paramLabel()) + "\\fR";
            page.append(".TP\n").append(String.join(", ", names)).append(label).append('\n')
                    .append(escape(String.join(" ", option.description()))).append('\n');
        }
    }

    /** ENVIRONMENT: each variable an option's default reads, with the options, then the launcher's and systemd's. */
    private static void environment(StringBuilder page, CommandLine commandLine) {
        Map<String, Set<String>> variables = new LinkedHashMap<>();
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(commandLine.getCommandSpec());
        visibleSubcommands(commandLine).forEach(sub -> specs.add(sub.getCommandSpec()));
        // The defaults as written ("${env:CONFIG:-/etc/...}"), not as this machine's environment resolves them.
        commandLine.setInterpolateVariables(false);
        try {
            for (CommandSpec spec : specs) {
                for (OptionSpec option : spec.options()) {
                    if (option.hidden() || option.defaultValue() == null) {
                        continue;
                    }
                    Matcher matcher = ENVIRONMENT.matcher(option.defaultValue());
                    while (matcher.find()) {
                        variables.computeIfAbsent(matcher.group(1), name -> new LinkedHashSet<>()).add(option.longestName());
                    }
                }
            }
        } finally {
            commandLine.setInterpolateVariables(true);
        }
        page.append(".SH ENVIRONMENT\n");
        variables.forEach((name, options) -> page.append(".TP\n.B ").append(escape(name)).append('\n')
                .append(escape("the default of " + String.join(", ", options))).append('\n'));
        HelpSection.ALL.stream().filter(section -> section.title().equals("Environment"))
                .forEach(section -> section(page, new HelpSection(section.title(), "", section.entries())));
    }

    private static void section(StringBuilder page, HelpSection section) {
        if (!section.text().isEmpty()) {
            page.append(escape(section.text())).append('\n');
        }
        for (HelpSection.Entry entry : section.entries()) {
            page.append(".TP\n.B ").append(quote(entry.term())).append('\n').append(escape(entry.text())).append('\n');
        }
    }

    private static String lowerFirst(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }

    private static String quote(String text) {
        return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
    }

    /** Text safe in troff: backslashes and minus signs escaped, no line starting with a control character. */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-").replace("\n", " ");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
