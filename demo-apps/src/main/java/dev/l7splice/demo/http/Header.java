package dev.l7splice.demo.http;

/** One header field as received: the name keeps its case, comparisons ignore it. */
public record Header(String name, String value) {

    public boolean is(String otherName) {
        return name.equalsIgnoreCase(otherName);
    }
}
