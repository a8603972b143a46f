package dev.l7splice.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Java 24+ only: the agent's one class that loads a native library ({@code LinuxIo}) is defined in
 * a named module of its own, in a module layer over the agent jar, so that native access can be
 * granted to that module alone (an unnamed module can only get it together with every unnamed
 * module, i.e. the whole application). Nothing is extracted: the module reads its class and its
 * library straight from the jar's {@code l7inst/} folder. The agent's loader delegates that one
 * package here, so every agent class sees the same {@code LinuxIo}. Public because the agent jar is
 * on the bootstrap path by the time it is used: this class and its nested ones are then the
 * bootstrap loader's, not the starter's.
 */
public final class NativeModule {

    public static final String NAME = "dev.l7splice.nativeio";
    public static final String PACKAGE = "dev.l7splice.kernel.nativeio";
    private static final String FOLDER = "l7inst/";

    private NativeModule() {
    }

    /** The loader of the module, defined over {@code agentJar}. */
    public static ClassLoader define(File agentJar) {
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(NAME).exports(PACKAGE).packages(Set.of(PACKAGE)).build();
        ModuleReference ref = new ModuleReference(descriptor, agentJar.toURI()) {
            @Override
            public ModuleReader open() throws IOException {
                return new FolderReader(new JarFile(agentJar));
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(NAME) ? Optional.of(ref) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(ref);
            }
        };
        Configuration cf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(NAME));
        ModuleLayer layer = ModuleLayer.defineModulesWithOneLoader(cf, List.of(ModuleLayer.boot()),
                ClassLoader.getPlatformClassLoader()).layer();
        return layer.findLoader(NAME);
    }

    /** Reads the module's entries from the jar's {@code l7inst/} folder. Closed with the layer's loader. */
    private static final class FolderReader implements ModuleReader {
        private final JarFile jar;

        FolderReader(JarFile jar) {
            this.jar = jar;
        }

        @Override
        public Optional<URI> find(String name) {
            JarEntry e = jar.getJarEntry(FOLDER + name);
            return e == null ? Optional.empty()
                    : Optional.of(URI.create("jar:" + new File(jar.getName()).toURI() + "!/" + FOLDER + name));
        }

        @Override
        public Optional<InputStream> open(String name) throws IOException {
            JarEntry e = jar.getJarEntry(FOLDER + name);
            return e == null ? Optional.empty() : Optional.of(jar.getInputStream(e));
        }

        @Override
        public Stream<String> list() {
            return jar.stream().map(JarEntry::getName).filter(n -> n.startsWith(FOLDER + PACKAGE.replace('.', '/')))
                    .map(n -> n.substring(FOLDER.length()));
        }

        @Override
        public void close() throws IOException {
            jar.close();
        }
    }
}
