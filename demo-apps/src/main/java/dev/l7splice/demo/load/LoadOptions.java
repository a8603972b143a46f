package dev.l7splice.demo.load;

import dev.l7splice.demo.cli.CliArgs;
import dev.l7splice.demo.cli.UsageException;
import java.util.Set;

/**
 * What a {@link LoadClient} run does. Fluent setters; not thread-safe, but
 * {@link LoadClient#run} copies nothing mutable out of it after it starts, so do not change an
 * instance while a run uses it.
 */
public final class LoadOptions {

    public static final String USAGE = String.join("\n",
            "usage: java -cp l7demo.jar dev.l7splice.demo.load.LoadClient --port P [options]",
            "  --host HOST        server host (default 127.0.0.1)",
            "  --port P           server port (required)",
            "  --path PATH        request path (default /bytes/1048576, or /sink with --upload)",
            "  --requests R       requests in total (default 1)",
            "  --concurrency C    parallel connections (default 1)",
            "  --verify           check each body's SHA-256 against the X-Body-SHA256 header",
            "  --upload N         POST N pattern bytes to PATH instead of GET (with --verify:",
            "                     check the reply's X-Body-SHA256); N takes k/m/g suffixes",
            "  --help             this text",
            "Prints one line: requests=R ok=K failed=F bytes=B seconds=S mbps=M; exit 0 iff F=0.");

    String host = "127.0.0.1";
    int port = -1;
    String path = "/bytes/1048576";
    int requests = 1;
    int concurrency = 1;
    boolean verify;
    long uploadBytes = -1;

    public LoadOptions host(String host) {
        this.host = host;
        return this;
    }

    public LoadOptions port(int port) {
        this.port = port;
        return this;
    }

    public LoadOptions path(String path) {
        this.path = path;
        return this;
    }

    public LoadOptions requests(int requests) {
        this.requests = requests;
        return this;
    }

    public LoadOptions concurrency(int concurrency) {
        this.concurrency = concurrency;
        return this;
    }

    public LoadOptions verify(boolean verify) {
        this.verify = verify;
        return this;
    }

    /** POST this many pattern bytes instead of a GET; negative = GET. */
    public LoadOptions upload(long bytes) {
        this.uploadBytes = bytes;
        return this;
    }

    boolean isUpload() {
        return uploadBytes >= 0;
    }

    void validate() {
        if (port < 1 || port > 65535) {
            throw new UsageException("--port is required (1-65535)");
        }
        if (!path.startsWith("/")) {
            throw new UsageException("--path must start with /");
        }
        if (requests < 1 || concurrency < 1) {
            throw new UsageException("--requests and --concurrency must be at least 1");
        }
    }

    static LoadOptions parse(String[] args) {
        CliArgs cli = CliArgs.parse(args, Set.of("host", "port", "path", "requests", "concurrency", "upload"),
                Set.of("verify", "help"));
        LoadOptions o = new LoadOptions()
                .host(cli.get("host", "127.0.0.1"))
                .port(cli.intValue("port", -1, 1, 65535))
                .requests(cli.intValue("requests", 1, 1, Integer.MAX_VALUE))
                .concurrency(cli.intValue("concurrency", 1, 1, 10_000))
                .verify(cli.has("verify"))
                .upload(cli.has("upload") ? cli.sizeValue("upload", -1) : -1);
        o.path(cli.get("path", o.isUpload() ? "/sink" : "/bytes/1048576"));
        o.validate();
        return o;
    }
}
