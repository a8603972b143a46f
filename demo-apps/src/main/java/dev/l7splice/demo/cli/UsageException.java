package dev.l7splice.demo.cli;

/** A command line that cannot be run; mains print the message and their usage, then exit 2. */
public final class UsageException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
