package dev.l7splice.demo.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders the results side by side as a plain-text table with aligned columns. Stateless. */
public final class ResultTable {

    static final String[] HEADINGS = {
        "mode", "MB/s (median of 3)", "gateway CPU s/GB", "relay CPU s/GB", "bytes spliced or sent", "checksums",
    };

    private ResultTable() {
    }

    public static String render(List<ModeResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADINGS);
        for (ModeResult r : results) {
            rows.add(new String[] {
                r.mode(),
                String.format(Locale.ROOT, "%.1f", r.medianMbps()),
                perGb(r.cpuSecondsPerGb()),
                perGb(r.relayCpuSecondsPerGb()),
                r.bytesSpliced(),
                r.checksumsOk() ? "ok" : "FAILED",
            });
        }
        int[] widths = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            appendRow(sb, rows.get(r), widths, r > 0);
            if (r == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendRow(sb, rule, widths, false);
            }
        }
        return sb.toString();
    }

    /** Two decimals, or "-" when there is no such process (NaN). */
    private static String perGb(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    /** Text in the first column is left-aligned; numbers (columns 1-4) right-aligned in data rows. */
    private static void appendRow(StringBuilder sb, String[] cells, int[] widths, boolean alignNumbers) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(" | ");
            }
            boolean right = alignNumbers && i >= 1 && i <= 4;
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(right ? pad + cells[i] : cells[i] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
