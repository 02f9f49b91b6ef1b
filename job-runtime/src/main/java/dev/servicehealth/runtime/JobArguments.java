package dev.servicehealth.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.Description;
import org.apache.flink.configuration.description.HtmlFormatter;

/**
 * A job's command line: {@code --key value} or {@code --key=value} pairs, checked against the job's
 * declared options so that an unknown key or a bad value fails at start and names the key.
 */
public final class JobArguments {
    private JobArguments() {}

    /** Parses {@code --key value} or {@code --key=value} pairs. */
    public static Map<String, String> parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("expected --key, got '" + arg + "'");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq >= 0) {
                values.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.length) {
                values.put(body, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + body + " has no value");
            }
        }
        return values;
    }

    /**
     * The configuration of {@code values}, every one of them parsed now.
     *
     * @throws IllegalArgumentException naming the first unknown key or unparsable value
     */
    public static Configuration toConfiguration(
            Map<String, String> values, List<ConfigOption<?>> options) {
        for (String key : values.keySet()) {
            if (options.stream().noneMatch(o -> o.key().equals(key))) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "'");
            }
        }
        Configuration conf = Configuration.fromMap(values);
        try {
            for (ConfigOption<?> option : options) {
                conf.get(option);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
        return conf;
    }

    /** Fails unless the string option has a non-blank value. */
    public static void require(Configuration conf, ConfigOption<String> option) {
        String value = conf.get(option);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + option.key() + " is required");
        }
    }

    /** A description as the plain sentence it was written as. */
    private static String text(Description description) {
        return new HtmlFormatter()
                .format(description)
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    public static String usage(String jobName, List<ConfigOption<?>> options) {
        StringBuilder usage = new StringBuilder(jobName).append(" options:\n");
        for (ConfigOption<?> option : options) {
            usage.append("  --").append(option.key());
            if (option.hasDefaultValue()) {
                usage.append(" (default ").append(option.defaultValue()).append(')');
            }
            usage.append("\n      ").append(text(option.description())).append('\n');
        }
        return usage.toString();
    }
}
