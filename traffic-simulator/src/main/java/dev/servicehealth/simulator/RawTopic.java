package dev.servicehealth.simulator;

import dev.servicehealth.model.Topics;

/** The four raw input topics the simulator writes, with their default names from {@link Topics}. */
public enum RawTopic {
    GATEWAY(Topics.RAW_GATEWAY, true),
    AUTH(Topics.RAW_AUTH, true),
    METRICS(Topics.RAW_METRICS, false),
    STATUS(Topics.RAW_STATUS, true);

    private final String defaultName;
    private final boolean jsonLines;

    RawTopic(String defaultName, boolean jsonLines) {
        this.defaultName = defaultName;
        this.jsonLines = jsonLines;
    }

    public String defaultName() {
        return defaultName;
    }

    /** True for topics whose values are single JSON lines; false for binary remote-write bodies. */
    public boolean jsonLines() {
        return jsonLines;
    }
}
