package io.forwardloop.platform.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The server properties of a single-node KRaft cluster sized for a laptop or a test: one process
 * that is broker and controller, loopback listeners, replication 1 and small buffers.
 */
public final class BrokerProperties {
    /** The id of the only node. */
    public static final int NODE_ID = 1;

    /** The listener clients connect to. */
    public static final String BROKER_LISTENER = "PLAINTEXT";

    /** The listener the controller quorum speaks on. */
    public static final String CONTROLLER_LISTENER = "CONTROLLER";

    private static final String HOST = "127.0.0.1";

    private BrokerProperties() {}

    /** Returns the server properties; {@code overrides} win over every default. */
    public static Map<String, String> of(
            Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.putAll(roles(brokerPort, controllerPort));
        props.putAll(storage(logDir));
        props.putAll(singleReplica());
        props.putAll(smallFootprint());
        props.putAll(overrides);
        return props;
    }

    private static Map<String, String> roles(int brokerPort, int controllerPort) {
        return Map.of(
                "process.roles",
                "broker,controller",
                "node.id",
                Integer.toString(NODE_ID),
                "controller.quorum.voters",
                NODE_ID + "@" + HOST + ":" + controllerPort,
                "controller.listener.names",
                CONTROLLER_LISTENER,
                "inter.broker.listener.name",
                BROKER_LISTENER,
                "listeners",
                listeners(brokerPort, controllerPort),
                "advertised.listeners",
                BROKER_LISTENER + "://" + HOST + ":" + brokerPort,
                "listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    }

    private static String listeners(int brokerPort, int controllerPort) {
        return BROKER_LISTENER
                + "://"
                + HOST
                + ":"
                + brokerPort
                + ","
                + CONTROLLER_LISTENER
                + "://"
                + HOST
                + ":"
                + controllerPort;
    }

    private static Map<String, String> storage(Path logDir) {
        return Map.of(
                "log.dirs",
                logDir.toString(),
                "metadata.log.dir",
                logDir.toString(),
                "auto.create.topics.enable",
                "false",
                "delete.topic.enable",
                "true");
    }

    private static Map<String, String> singleReplica() {
        return Map.of(
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "5",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "5",
                "share.coordinator.state.topic.replication.factor", "1",
                "share.coordinator.state.topic.min.isr", "1",
                "default.replication.factor", "1",
                "min.insync.replicas", "1",
                "group.initial.rebalance.delay.ms", "0");
    }

    private static Map<String, String> smallFootprint() {
        return Map.of(
                "log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024),
                "log.cleaner.threads", "1",
                "num.network.threads", "2",
                "num.io.threads", "2",
                "background.threads", "2",
                "num.recovery.threads.per.data.dir", "1",
                "num.replica.fetchers", "1",
                "log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    }
}
