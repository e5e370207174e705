package io.forwardloop.adapter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The shape of an adapter: its kind, the activation it reads, its labels and its sizes.
 *
 * <p>Immutable; built and validated once by {@link Builder#build()}. The spec fixes the names,
 * shapes and order of the trainable tensors ({@link #tensors()}), which is the order perturbation
 * tensor indices, serialised parameters and adapter files follow.
 */
public final class AdapterSpec {
    /** Name of the low-rank down projection, shape [rank, inputDim]. */
    public static final String LORA_DOWN = "lora_down";

    /** Name of the low-rank up projection, shape [inputDim, rank]. */
    public static final String LORA_UP = "lora_up";

    /** Name of the classifier weight, shape [labels, inputDim]. */
    public static final String CLASSIFIER_WEIGHT = "classifier_weight";

    /** Name of the classifier bias, shape [labels]. */
    public static final String CLASSIFIER_BIAS = "classifier_bias";

    private final AdapterKind kind;
    private final int inputDim;
    private final int rank;
    private final List<String> labels;
    private final List<Integer> hiddenSizes;
    private final float loraScale;
    private final float labelScale;
    private final float goodnessThreshold;
    private final List<TensorSpec> tensors;

    private AdapterSpec(Builder builder) {
        this.kind = builder.kind;
        this.inputDim = builder.inputDim;
        this.rank = builder.rank;
        this.labels = List.copyOf(builder.labels);
        this.hiddenSizes = List.copyOf(builder.hiddenSizes);
        this.loraScale = builder.loraScale;
        this.labelScale = builder.labelScale;
        this.goodnessThreshold = builder.goodnessThreshold;
        this.tensors = List.copyOf(kind == AdapterKind.LOW_RANK_CLASSIFIER ? lowRank() : layers());
    }

    /** Starts a spec for a low-rank classifier over {@code inputDim}-wide activations. */
    public static Builder lowRankClassifier(int inputDim, int rank, List<String> labels) {
        return new Builder(AdapterKind.LOW_RANK_CLASSIFIER)
                .inputDim(inputDim)
                .rank(rank)
                .labels(labels);
    }

    /** Starts a spec for a Forward-Forward network with the given hidden layer sizes. */
    public static Builder forwardForward(
            int inputDim, List<String> labels, List<Integer> hiddenSizes) {
        return new Builder(AdapterKind.FORWARD_FORWARD)
                .inputDim(inputDim)
                .labels(labels)
                .hiddenSizes(hiddenSizes);
    }

    /** Starts an empty spec of the given kind. */
    public static Builder builder(AdapterKind kind) {
        return new Builder(kind);
    }

    public AdapterKind kind() {
        return kind;
    }

    /** Width d of the activation the adapter reads. */
    public int inputDim() {
        return inputDim;
    }

    /** Rank r of the low-rank residual; 0 for Forward-Forward. */
    public int rank() {
        return rank;
    }

    /** Label names, in the order of logits and one-hot positions. */
    public List<String> labels() {
        return labels;
    }

    public int labelCount() {
        return labels.size();
    }

    /** Forward-Forward hidden layer widths; empty for the low-rank classifier. */
    public List<Integer> hiddenSizes() {
        return hiddenSizes;
    }

    /** Scale s of the low-rank residual: h' = h + s * up * (down * h). */
    public float loraScale() {
        return loraScale;
    }

    /** Value of the one-hot label entry appended to the Forward-Forward input. */
    public float labelScale() {
        return labelScale;
    }

    /** Forward-Forward threshold theta: a layer calls an example positive when goodness > theta. */
    public float goodnessThreshold() {
        return goodnessThreshold;
    }

    /** The trainable tensors, in their fixed order. */
    public List<TensorSpec> tensors() {
        return tensors;
    }

    /** The total number of trainable scalars. */
    public int parameterCount() {
        return tensors.stream().mapToInt(TensorSpec::size).sum();
    }

    /** Name of Forward-Forward layer {@code layer}'s weight, shape [hidden, layer input]. */
    public static String ffWeight(int layer) {
        return "ff_weight_" + layer;
    }

    /** Name of Forward-Forward layer {@code layer}'s bias, shape [hidden]. */
    public static String ffBias(int layer) {
        return "ff_bias_" + layer;
    }

    /** Width of Forward-Forward layer {@code layer}'s input; layer 0 reads [h ; one-hot]. */
    public int ffInputWidth(int layer) {
        return layer == 0 ? inputDim + labels.size() : hiddenSizes.get(layer - 1);
    }

    private List<TensorSpec> lowRank() {
        int labelCount = labels.size();
        return List.of(
                new TensorSpec(LORA_DOWN, rank, inputDim),
                new TensorSpec(LORA_UP, inputDim, rank),
                new TensorSpec(CLASSIFIER_WEIGHT, labelCount, inputDim),
                new TensorSpec(CLASSIFIER_BIAS, labelCount));
    }

    private List<TensorSpec> layers() {
        List<TensorSpec> out = new ArrayList<>();
        for (int layer = 0; layer < hiddenSizes.size(); layer++) {
            int width = hiddenSizes.get(layer);
            out.add(new TensorSpec(ffWeight(layer), width, ffInputWidth(layer)));
            out.add(new TensorSpec(ffBias(layer), width));
        }
        return out;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof AdapterSpec)) {
            return false;
        }
        AdapterSpec that = (AdapterSpec) other;
        return kind == that.kind
                && inputDim == that.inputDim
                && rank == that.rank
                && labels.equals(that.labels)
                && hiddenSizes.equals(that.hiddenSizes)
                && Float.compare(loraScale, that.loraScale) == 0
                && Float.compare(labelScale, that.labelScale) == 0
                && Float.compare(goodnessThreshold, that.goodnessThreshold) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                kind,
                inputDim,
                rank,
                labels,
                hiddenSizes,
                loraScale,
                labelScale,
                goodnessThreshold);
    }

    @Override
    public String toString() {
        return kind
                + "{inputDim="
                + inputDim
                + ", rank="
                + rank
                + ", labels="
                + labels
                + ", hiddenSizes="
                + hiddenSizes
                + "}";
    }

    /** Collects and validates the fields of an {@link AdapterSpec}. */
    public static final class Builder {
        private final AdapterKind kind;
        private int inputDim;
        private int rank;
        private List<String> labels = List.of();
        private List<Integer> hiddenSizes = List.of();
        private float loraScale = 1.0f;
        private float labelScale = 1.0f;
        private float goodnessThreshold = 2.0f;

        private Builder(AdapterKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder inputDim(int inputDim) {
            this.inputDim = inputDim;
            return this;
        }

        public Builder rank(int rank) {
            this.rank = rank;
            return this;
        }

        public Builder labels(List<String> labels) {
            this.labels = new ArrayList<>(Objects.requireNonNull(labels, "labels"));
            return this;
        }

        public Builder hiddenSizes(List<Integer> hiddenSizes) {
            this.hiddenSizes = new ArrayList<>(Objects.requireNonNull(hiddenSizes, "hiddenSizes"));
            return this;
        }

        public Builder loraScale(float loraScale) {
            this.loraScale = loraScale;
            return this;
        }

        public Builder labelScale(float labelScale) {
            this.labelScale = labelScale;
            return this;
        }

        public Builder goodnessThreshold(float goodnessThreshold) {
            this.goodnessThreshold = goodnessThreshold;
            return this;
        }

        /** Validates every field and returns the spec; the message names the field and value. */
        public AdapterSpec build() {
            require(inputDim > 0, "inputDim must be > 0, got " + inputDim);
            validateLabels();
            if (kind == AdapterKind.LOW_RANK_CLASSIFIER) {
                validateLowRank();
            } else {
                validateForwardForward();
            }
            return new AdapterSpec(this);
        }

        private void validateLabels() {
            require(labels.size() >= 2, "labels must name at least 2 labels, got " + labels);
            for (String label : labels) {
                require(label != null && !label.isBlank(), "labels must not be blank: " + labels);
            }
            require(
                    new HashSet<>(labels).size() == labels.size(),
                    "labels must be distinct, got " + labels);
        }

        private void validateLowRank() {
            require(
                    rank >= 1 && rank <= inputDim,
                    "rank must be in [1, inputDim=" + inputDim + "], got " + rank);
            require(
                    hiddenSizes.isEmpty(),
                    "hiddenSizes apply only to FORWARD_FORWARD, got " + hiddenSizes);
            require(
                    Float.isFinite(loraScale) && loraScale > 0,
                    "loraScale must be finite and > 0, got " + loraScale);
        }

        private void validateForwardForward() {
            require(rank == 0, "rank applies only to LOW_RANK_CLASSIFIER, got " + rank);
            require(!hiddenSizes.isEmpty(), "hiddenSizes must name at least one layer");
            for (Integer size : hiddenSizes) {
                require(
                        size != null && size > 0,
                        "hiddenSizes must all be > 0, got " + hiddenSizes);
            }
            require(
                    Float.isFinite(labelScale) && labelScale > 0,
                    "labelScale must be finite and > 0, got " + labelScale);
            require(
                    Float.isFinite(goodnessThreshold) && goodnessThreshold > 0,
                    "goodnessThreshold must be finite and > 0, got " + goodnessThreshold);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException("invalid adapter spec: " + message);
            }
        }
    }
}
