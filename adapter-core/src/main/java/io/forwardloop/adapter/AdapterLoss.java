package io.forwardloop.adapter;

/** A scalar loss of an adapter's current parameters, e.g. a mean cross-entropy over a batch. */
@FunctionalInterface
public interface AdapterLoss {
    /** Evaluates the loss; must read the parameters only, never change them. */
    double evaluate(AdapterParameters params);
}
