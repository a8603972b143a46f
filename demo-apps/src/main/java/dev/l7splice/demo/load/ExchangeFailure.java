package dev.l7splice.demo.load;

/** A response that arrived but is wrong: status, length or checksum. */
final class ExchangeFailure extends Exception {

    private static final long serialVersionUID = 1L;

    ExchangeFailure(String message) {
        super(message);
    }
}
