package io.forwardloop.ingest.adapters;

import java.util.List;

/** A request named an adapter this gateway does not serve. */
public class UnknownAdapterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> known;

    public UnknownAdapterException(String name, List<String> known) {
        super("adapter '" + name + "' is not served here; use one of " + known);
        this.known = List.copyOf(known);
    }

    /** The adapters this gateway serves. */
    public List<String> known() {
        return known;
    }
}
