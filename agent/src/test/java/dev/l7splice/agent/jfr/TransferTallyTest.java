package dev.l7splice.agent.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TransferTallyTest {

    private final TransferTally kernel = new TransferTally(TransferTally.Role.KERNEL_BYTES);
    private final TransferTally copied = new TransferTally(TransferTally.Role.COPIED_BYTES);

    @Test
    void aRecordSeesOnlyItsOwnThreadsUpdatesWhileTheCountersSeeAll() throws Exception {
        kernel.add(5); // before: counted, not recorded
        TransferTally.Record r = TransferTally.begin();
        kernel.add(100);
        copied.add(7);
        Thread other = new Thread(() -> kernel.add(1000)); // a relay loop's thread
        other.start();
        other.join();
        TransferTally.end(r);
        kernel.add(3); // after
        assertEquals(100, r.kernelBytes);
        assertEquals(7, r.copiedBytes);
        assertEquals(1108, kernel.sum());
        assertEquals(7, copied.sum());
    }

    @Test
    void nestedRecordsEachKeepTheirOwnSums() {
        TransferTally.Record outer = TransferTally.begin();
        kernel.add(1);
        TransferTally.Record inner = TransferTally.begin();
        kernel.add(10);
        TransferTally.end(inner);
        kernel.add(100);
        TransferTally.end(outer);
        assertEquals(10, inner.kernelBytes);
        assertEquals(101, outer.kernelBytes);
    }
}
