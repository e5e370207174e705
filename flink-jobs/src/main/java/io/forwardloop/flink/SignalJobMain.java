package io.forwardloop.flink;

import io.forwardloop.platform.ConfigFiles;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The signal job's entry point on a Flink cluster (application mode, or {@code flink run}).
 *
 * <p>Arguments: {@code --config FILE} (a properties file of the job's keys and the cluster
 * connection's) and any number of {@code --set key=value}. The job runs in the environment Flink
 * provides until it is cancelled.
 */
public final class SignalJobMain {

    private SignalJobMain() {}

    public static void main(String[] args) throws Exception {
        SignalJobConfig config = SignalJobConfig.from(settings(args));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SignalJob.build(env, config);
        env.execute(config.jobName());
    }

    /** Reads {@code --config FILE} and {@code --set key=value} arguments into settings. */
    static Map<String, Object> settings(String[] args) {
        Path file = null;
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(usage("missing value after " + option));
            }
            String value = args[++i];
            switch (option) {
                case "--config" -> file = Path.of(value);
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException(
                                usage("--set takes key=value, got '" + value + "'"));
                    }
                    overrides.put(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> throw new IllegalArgumentException(usage("unknown option " + option));
            }
        }
        return ConfigFiles.load(file, overrides);
    }

    private static String usage(String problem) {
        return "signal job: " + problem + "; usage: --config FILE [--set key=value]...";
    }
}
