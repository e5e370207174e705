package io.forwardloop.trainer.internal;

import io.forwardloop.adapter.AdapterFormatException;
import io.forwardloop.adapter.AdapterKind;
import io.forwardloop.adapter.AdapterParameters;
import io.forwardloop.adapter.AdapterSpec;
import io.forwardloop.trainer.AdapterPublisher;
import io.forwardloop.trainer.AdapterPublisher.VersionInfo;
import io.forwardloop.trainer.RegistryPublisher;
import io.forwardloop.trainer.TrainerConfig;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that a served version is an adapter this trainer can continue: same kind, encoder, labels
 * and shape keys as its configured spec, and an artifact that fits it (which checks the input
 * width). A mismatch is a startup error naming both sides and the keys to change.
 */
public final class ServedSpec {
    private ServedSpec() {}

    /**
     * Returns the served version's parameters read as {@code spec}.
     *
     * @throws IllegalStateException when the served version does not match
     */
    public static AdapterParameters parameters(
            AdapterPublisher publisher,
            String adapter,
            String alias,
            VersionInfo served,
            AdapterSpec spec,
            String encoderId) {
        String problem = difference(served, spec, encoderId);
        if (problem == null) {
            try {
                return publisher.parameters(adapter, served.version(), spec);
            } catch (AdapterFormatException e) {
                problem = "its artifact does not fit: " + e.getMessage();
            }
        }
        throw new IllegalStateException(
                "adapter "
                        + adapter
                        + " has no step log and alias '"
                        + alias
                        + "' serves version "
                        + served.version()
                        + " ("
                        + describe(served)
                        + "), but this trainer is configured for "
                        + describe(spec, encoderId)
                        + "; "
                        + problem
                        + ". Set "
                        + TrainerConfig.METHOD
                        + ", "
                        + TrainerConfig.ENCODER_ID
                        + ", "
                        + TrainerConfig.LABELS
                        + ", "
                        + TrainerConfig.INPUT_DIM
                        + " and "
                        + TrainerConfig.RANK
                        + " or "
                        + TrainerConfig.HIDDEN_SIZES
                        + " to match the served version, or publish and promote an adapter of the"
                        + " configured shape (forwardloop train ... --publish URL --adapter "
                        + adapter
                        + " --promote "
                        + alias
                        + ")");
    }

    // the first difference found, or null
    private static String difference(VersionInfo served, AdapterSpec spec, String encoderId) {
        if (!spec.kind().name().equals(served.kind())) {
            return "the kinds differ";
        }
        if (!Objects.equals(encoderId, served.encoderId())) {
            return "the encoders differ";
        }
        if (!spec.labels().equals(served.labels())) {
            return "the label sets differ";
        }
        for (Map.Entry<String, Object> key : RegistryPublisher.shape(spec).entrySet()) {
            if (!sameValue(key.getValue(), served.hyperparameters().get(key.getKey()))) {
                return "their " + key.getKey() + " differs";
            }
        }
        return null;
    }

    private static boolean sameValue(Object configured, Object served) {
        if (served == null) {
            return false;
        }
        String a = String.valueOf(configured).replace(" ", "");
        String b = String.valueOf(served).replace(" ", "");
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return a.equals(b);
        }
    }

    private static String describe(VersionInfo served) {
        return served.kind()
                + ", encoder "
                + served.encoderId()
                + ", labels "
                + served.labels()
                + shapeOf(served.hyperparameters(), kindOf(served));
    }

    private static String describe(AdapterSpec spec, String encoderId) {
        return spec.kind()
                + ", encoder "
                + encoderId
                + ", labels "
                + spec.labels()
                + ", input dim "
                + spec.inputDim()
                + shapeOf(RegistryPublisher.shape(spec), spec.kind());
    }

    // ", key value" for each shape key of the kind, "unset" where the version records none
    private static String shapeOf(Map<String, Object> values, AdapterKind kind) {
        if (kind == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String key : RegistryPublisher.shapeKeys(kind)) {
            Object value = values.get(key);
            out.append(", ").append(key).append(' ').append(value == null ? "unset" : value);
        }
        return out.toString();
    }

    private static AdapterKind kindOf(VersionInfo served) {
        for (AdapterKind kind : AdapterKind.values()) {
            if (kind.name().equals(served.kind())) {
                return kind;
            }
        }
        return null;
    }
}
