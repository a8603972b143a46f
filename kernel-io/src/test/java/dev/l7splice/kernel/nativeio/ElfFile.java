package dev.l7splice.kernel.nativeio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;
import java.util.TreeSet;

/**
 * The few facts the tests need from a shared library, read from its bytes so that no binutils
 * (and no cross binutils) are needed: the ELF class and byte order, the machine, and the names the
 * dynamic symbol table exports. Reads only what the System V ABI's ELF64 layout fixes; anything
 * else (ELF32, big-endian, no .dynsym) is reported by {@link IllegalArgumentException}.
 */
final class ElfFile {

    static final int EM_X86_64 = 62;
    static final int EM_AARCH64 = 183;
    static final int ET_DYN = 3;

    private static final int SHT_DYNSYM = 11;
    private static final int SYMBOL_SIZE = 24;
    private static final int SECTION_HEADER_SIZE = 64;

    private final ByteBuffer b;

    ElfFile(byte[] bytes) {
        b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 64 || b.getInt(0) != 0x464c457f) { // "\177ELF" read little-endian
            throw new IllegalArgumentException("not an ELF file");
        }
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException("not ELF64 little-endian (class " + bytes[4] + ", data " + bytes[5] + ")");
        }
    }

    int type() {
        return Short.toUnsignedInt(b.getShort(16));
    }

    int machine() {
        return Short.toUnsignedInt(b.getShort(18));
    }

    /**
     * Names of the symbols others can link against: in .dynsym, defined in this file (section
     * index not SHN_UNDEF), global or weak, default or protected visibility. What
     * {@code nm -D --defined-only} lists, less local entries.
     */
    Set<String> exportedSymbols() {
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        if (shentsize != SECTION_HEADER_SIZE) {
            throw new IllegalArgumentException("section header size " + shentsize);
        }
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            if (b.getInt(sh + 4) == SHT_DYNSYM) {
                int strtab = (int) (shoff + (long) b.getInt(sh + 40) * shentsize); // sh_link
                return symbols((int) b.getLong(sh + 24), (int) b.getLong(sh + 32), (int) b.getLong(strtab + 24));
            }
        }
        throw new IllegalArgumentException("no .dynsym section");
    }

    private Set<String> symbols(int offset, int size, int strings) {
        Set<String> names = new TreeSet<>();
        for (int s = offset; s + SYMBOL_SIZE <= offset + size; s += SYMBOL_SIZE) {
            int binding = (b.get(s + 4) & 0xff) >>> 4;
            int visibility = b.get(s + 5) & 0x3;
            int section = Short.toUnsignedInt(b.getShort(s + 6));
            boolean exported = (binding == 1 || binding == 2) && (visibility == 0 || visibility == 3);
            if (exported && section != 0) {
                names.add(string(strings + b.getInt(s)));
            }
        }
        return names;
    }

    private String string(int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; b.get(i) != 0; i++) {
            sb.append((char) b.get(i));
        }
        return sb.toString();
    }
}
